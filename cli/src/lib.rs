//! The `evcat` command's benchmark catalogs, shared by its benchmarks and
//! examples. The command itself is `src/main.rs`; what other tools call is
//! the `evcat` library.

pub mod synthetic;
