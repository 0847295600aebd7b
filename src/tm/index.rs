//! TM index (not implemented yet).
