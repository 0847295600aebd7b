//! Alignment cost (not implemented yet).
