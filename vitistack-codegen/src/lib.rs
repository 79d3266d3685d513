//! vitistack-codegen library.
