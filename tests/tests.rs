//! qantara's integration tests: one test binary, one module per stage. CLI tests run the real
//! binary; snapshots live in `snapshots/` at the crate root.

mod align;
mod glossary;
mod segment;
mod tm;
mod util;
