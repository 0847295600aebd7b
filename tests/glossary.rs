//! Integration tests for the glossary stage.
