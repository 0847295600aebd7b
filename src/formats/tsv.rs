//! The tsv format (not implemented yet).
