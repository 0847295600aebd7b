//! Integration tests for the tm stage.
