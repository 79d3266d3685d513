//! Test harness: a real apiextensions-apiserver shared by the end-to-end tests.
