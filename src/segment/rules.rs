//! Built-in segmentation rules (not implemented yet).
