//! Institutional glossary: model, matcher, check (not implemented yet).

pub mod check;
pub mod matcher;
pub mod model;
