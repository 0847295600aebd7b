//! Glossary model (not implemented yet).
