//! Translation memory (not implemented yet).
