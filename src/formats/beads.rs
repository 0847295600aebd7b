//! The beads format (not implemented yet).
