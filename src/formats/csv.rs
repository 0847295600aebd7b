//! The csv format (not implemented yet).
