//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `seeds/`.
pub fn seed(rel: &str) -> PathBuf {
    root().join("seeds").join(rel)
}

/// A `Command` for the real `qantara` binary.
pub fn qantara() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("qantara").expect("the qantara binary is built")
}

/// insta settings that store snapshots in `snapshots/` at the crate root.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Runs `f` with the snapshot settings bound.
pub fn with_snapshots<R>(f: impl FnOnce() -> R) -> R {
    snapshot_settings().bind(f)
}
