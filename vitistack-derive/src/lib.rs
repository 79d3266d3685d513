//! Derive macros for vitistack-rs.
