//! Document-level reads and deletion of the SQLite store (listing, one document's units,
//! deleting a document), kept apart from the write path in the parent module.
//!
//! Deleting goes through the same path as replacing a document ([`TmStore::begin_document`]
//! with `replace`, which removes the units, their posting entries and their share of every
//! document frequency) and then removes the document row before the single `COMMIT`: a kill at
//! any moment leaves the document whole or gone.

use super::{DocSpec, SqliteStore, TmStore, UNIT_COLS};
use crate::lang::Lang;
use crate::tm::{DocumentInfo, Origin, Result, Unit, UnitId};
use rusqlite::OptionalExtension;
use std::str::FromStr;

const DOC_COLS: &str = "d.name, d.origin, d.source, d.content_hash, d.created_at, d.updated_at,
     (SELECT count(*) FROM units u WHERE u.doc_id = d.id) FROM documents d";

fn row_to_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentInfo> {
    let origin: String = r.get(1)?;
    Ok(DocumentInfo {
        name: r.get(0)?,
        origin: Origin::from_str(&origin).unwrap_or(Origin::Imported),
        source: r.get(2)?,
        content_hash: r.get(3)?,
        created: r.get(4)?,
        updated: r.get(5)?,
        units: r.get::<_, i64>(6)?.max(0) as u64,
    })
}

impl SqliteStore {
    pub(super) fn list_documents(&self) -> rusqlite::Result<Vec<DocumentInfo>> {
        let mut st = self.conn.prepare(&format!("SELECT {DOC_COLS} ORDER BY d.name"))?;
        st.query_map([], row_to_info)?.collect()
    }

    pub(super) fn document_with_units(
        &self,
        name: &str,
    ) -> rusqlite::Result<Option<(DocumentInfo, Vec<Unit>)>> {
        let info = self
            .conn
            .query_row(&format!("SELECT {DOC_COLS} WHERE d.name = ?1"), [name], row_to_info)
            .optional()?;
        let Some(info) = info else { return Ok(None) };
        let mut st = self.conn.prepare(&format!("SELECT {UNIT_COLS} WHERE d.name = ?1 ORDER BY u.ord"))?;
        let units = st.query_map([name], |r| self.row_to_unit(r))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some((info, units)))
    }

    pub(super) fn neighbour_texts(
        &self,
        unit: UnitId,
        lang: Lang,
    ) -> rusqlite::Result<(Option<String>, Option<String>)> {
        let at = |delta: i64| {
            self.conn
                .prepare_cached(
                    "SELECT t.text FROM units u JOIN units v ON v.doc_id = u.doc_id AND v.ord = u.ord + ?2
                     JOIN texts t ON t.unit_id = v.id AND t.lang = ?3 WHERE u.id = ?1",
                )?
                .query_row(rusqlite::params![unit, delta, lang.code()], |r| r.get(0))
                .optional()
        };
        Ok((at(-1)?, at(1)?))
    }

    pub(super) fn remove_document(&mut self, name: &str) -> Result<Option<u64>> {
        let exists: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM documents WHERE name = ?1)", [name], |r| r.get(0))
            .map_err(|e| self.sq(e))?;
        if !exists {
            return Ok(None);
        }
        self.begin_document(&DocSpec {
            name,
            origin: Origin::Edited,
            content_hash: None,
            dedupe: false,
            replace: true,
            source: None,
            take_over: true,
        })?;
        let w = self.end_document()?;
        if let Err(e) = self.conn.execute("DELETE FROM documents WHERE name = ?1", [name]) {
            let _ = self.abort_document();
            return Err(self.sq(e));
        }
        self.commit()?;
        Ok(Some(w.replaced))
    }
}
