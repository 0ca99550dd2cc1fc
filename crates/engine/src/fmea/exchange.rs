//! Moving FMEAs in and out of the database: new ones from templates, imports (checked whole
//! before anything is written), exports, and merging a workshop's bundle back.

use std::path::Path;

use tracing::info;
use vigil_core::fmea::{merge, Fmea, FmeaId, FmeaKind, MergeOutcome, Picks, Side, Template};

use super::bundle::{read_bundle, Bundle};
use super::csv::{read_csv, write_csv};
use super::error::{FmeaError, FmeaResult, ImportProblem, ImportReport};
use super::xlsx::{read_xlsx, write_xlsx};
use crate::store::{create_fmea_tx, new_id, save_revision_tx, RevisionKind, Store};

/// The file formats an FMEA travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An xlsx workbook in the AIAG-VDA form layout.
    Xlsx,
    /// CSV with the worksheet's columns.
    Csv,
    /// A JSON bundle with ids, for offline workshops and merges.
    Bundle,
}

impl Format {
    /// The format a file is in, by its extension, else by its first bytes (xlsx is a zip file;
    /// a bundle is a JSON object; anything else is read as CSV).
    pub fn of_file(path: &Path, bytes: &[u8]) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Format::Xlsx,
            "csv" => Format::Csv,
            "json" => Format::Bundle,
            _ if bytes.starts_with(b"PK") => Format::Xlsx,
            _ if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') => Format::Bundle,
            _ => Format::Csv,
        }
    }
}

impl Store {
    /// Creates an FMEA called `name` from a built-in template, or blank of `kind` without one.
    pub fn new_fmea(
        &mut self,
        template: Option<&str>,
        kind: FmeaKind,
        name: &str,
        who: &str,
    ) -> FmeaResult<FmeaId> {
        let fmea = match template {
            Some(key) => {
                let template = Template::builtin(key).ok_or_else(|| {
                    FmeaError::NotFound(format!(
                        "template `{key}` (the templates are: {})",
                        Template::BUILTIN.join(", ")
                    ))
                })?;
                let template = template.map_err(|e| FmeaError::Corrupt(e.to_string()))?;
                template.instantiate(name, new_id)
            }
            None => Fmea::new(FmeaId(new_id()), kind, name),
        };
        self.create_fmea(&fmea, who)?;
        info!(id = %fmea.id, template, "FMEA created");
        Ok(fmea.id)
    }

    /// The FMEA as a file of `format`. A bundle's base is the version this copy was imported
    /// from, if it came from a bundle, else the FMEA as it is now.
    pub fn export_fmea(&self, id: FmeaId, format: Format) -> FmeaResult<Vec<u8>> {
        let fmea = self.load_fmea(id)?;
        let failed =
            |e: &dyn std::fmt::Display| FmeaError::Corrupt(format!("the export failed: {e}"));
        match format {
            Format::Xlsx => write_xlsx(&fmea).map_err(|e| failed(&e)),
            Format::Csv => write_csv(&fmea).map_err(|e| failed(&e)),
            Format::Bundle => {
                let base = self.bundle_base(id)?.unwrap_or_else(|| fmea.clone());
                Bundle::new(fmea, Some(base))
                    .to_bytes()
                    .map_err(|e| failed(&e))
            }
        }
    }

    /// Reads a file whole and, when it has no problem at all, stores it as a new FMEA. Otherwise
    /// nothing is written and every problem is returned with its row and column.
    pub fn import_fmea(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        format: Format,
        who: &str,
    ) -> FmeaResult<FmeaId> {
        let report = |problems: Vec<ImportProblem>| {
            FmeaError::Import(ImportReport {
                file: file_name.to_owned(),
                problems,
            })
        };
        let stem = Path::new(file_name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("Imported FMEA");
        let mut ids = new_id;
        let (fmea, base) = match format {
            Format::Xlsx => (read_xlsx(bytes, stem, &mut ids).map_err(report)?, None),
            Format::Csv => (read_csv(bytes, stem, &mut ids).map_err(report)?, None),
            Format::Bundle => {
                let bundle = read_bundle(bytes).map_err(report)?;
                let base = bundle.base.unwrap_or_else(|| bundle.fmea.clone());
                (bundle.fmea, Some(base))
            }
        };
        let tx = self.fmea_tx()?;
        create_fmea_tx(&tx, &fmea, who)?;
        if let Some(base) = base {
            save_revision_tx(
                &tx,
                &base,
                RevisionKind::BundleBase,
                &format!("bundle {file_name}"),
                who,
            )?;
        }
        tx.commit()?;
        info!(id = %fmea.id, file = file_name, "FMEA imported");
        Ok(fmea.id)
    }

    /// Merges a bundle into the FMEA it is a copy of, field by field against the bundle's base.
    /// Conflicts take the side in `picks`, else `prefer`; when some conflict has neither,
    /// nothing is written and the error says how many (see [`Store::preview_bundle_merge`]).
    pub fn merge_bundle(
        &mut self,
        bytes: &[u8],
        file_name: &str,
        picks: &Picks,
        prefer: Option<Side>,
        who: &str,
    ) -> FmeaResult<MergeOutcome> {
        let (bundle, ours) = self.bundle_and_ours(bytes, file_name)?;
        let (outcome, _) = self.modify_fmea(ours.id, who, |doc| {
            let base = bundle.base.as_ref();
            let first = merge(base, doc, &bundle.fmea, picks);
            let mut all = picks.clone();
            for c in first.unpicked(picks) {
                let side = prefer
                    .ok_or_else(|| FmeaError::UnresolvedConflicts(first.unpicked(picks).count()))?;
                all.insert((c.target, c.field.clone()), side);
            }
            let outcome = merge(base, doc, &bundle.fmea, &all);
            *doc = outcome.merged.clone();
            Ok(outcome)
        })?;
        info!(id = %ours.id, conflicts = outcome.conflicts.len(), "bundle merged");
        Ok(outcome)
    }

    /// What merging a bundle would do, without writing: the merged FMEA and the conflicts.
    pub fn preview_bundle_merge(&self, bytes: &[u8], file_name: &str) -> FmeaResult<MergeOutcome> {
        let (bundle, ours) = self.bundle_and_ours(bytes, file_name)?;
        Ok(merge(
            bundle.base.as_ref(),
            &ours,
            &bundle.fmea,
            &Picks::new(),
        ))
    }

    fn bundle_and_ours(&self, bytes: &[u8], file_name: &str) -> FmeaResult<(Bundle, Fmea)> {
        let bundle = read_bundle(bytes).map_err(|problems| {
            FmeaError::Import(ImportReport {
                file: file_name.to_owned(),
                problems,
            })
        })?;
        let ours = match self.load_fmea(bundle.fmea.id) {
            Err(FmeaError::NotFound(_)) => {
                return Err(FmeaError::NotFound(format!(
                    "{} (the bundle's FMEA is not in this database: import the bundle instead of merging it)",
                    bundle.fmea.id
                )))
            }
            other => other?,
        };
        if let Some(base) = &bundle.base {
            if base.id != ours.id {
                return Err(FmeaError::OtherFmea {
                    expected: ours.id,
                    found: base.id,
                });
            }
        }
        Ok((bundle, ours))
    }
}
