//! The srx format (not implemented yet).
