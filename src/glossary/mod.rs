//! Institutional glossary (not implemented yet).
