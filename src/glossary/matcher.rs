//! Glossary matcher (not implemented yet).
