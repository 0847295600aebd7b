//! The omegat format (not implemented yet).
