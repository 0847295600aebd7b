//! The tmx format (not implemented yet).
