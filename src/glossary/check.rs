//! Glossary check (not implemented yet).
