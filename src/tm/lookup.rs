//! TM lookup (not implemented yet).
