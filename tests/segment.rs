//! Integration tests for the segment stage.
