//! Integration tests for the align stage.
