//! qantara's integration tests: one test binary, one module per stage. CLI tests run the real
//! binary; snapshots live in `snapshots/` at the crate root.

mod align;
mod bad_input;
mod exchange;
mod glossary;
mod regressions;
mod review;
mod robustness;
mod safety;
mod schemas;
mod segment;
mod serve;
mod serve_faults;
mod stores;
mod term_qa;
mod tm;
mod util;
