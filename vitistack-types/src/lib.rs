//! Typed Rust structs for the Viti Stack Kubernetes API.
pub mod formats;
