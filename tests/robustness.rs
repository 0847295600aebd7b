//! Crash safety, concurrency and fuzz regressions.
