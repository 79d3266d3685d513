//! String formats.
