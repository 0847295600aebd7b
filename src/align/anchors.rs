//! Alignment anchors (not implemented yet).
