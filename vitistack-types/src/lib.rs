//! Typed Rust structs for the Viti Stack Kubernetes API.
pub mod catalog;
pub mod formats;
