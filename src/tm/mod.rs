//! Translation memory: store, index, lookup (not implemented yet).

pub mod index;
pub mod lookup;
pub mod store;
