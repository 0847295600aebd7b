//! TM store (not implemented yet).
