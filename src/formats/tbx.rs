//! The tbx format (not implemented yet).
