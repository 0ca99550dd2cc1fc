//! The header fields as label and value pairs: the block above the xlsx worksheet, and the
//! trailing columns of the CSV (a CSV has no room above its table).

use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;
use vigil_core::fmea::{Entity, FmeaHeader, FmeaId, FmeaKind};

use super::error::ImportProblem;
use super::form::{Cell, HEADER_FIELDS};

/// The header's cells, by label, in [`HEADER_FIELDS`] order.
pub fn header_cells(id: FmeaId, header: &FmeaHeader) -> Vec<(&'static str, Option<Cell>)> {
    let fields = Entity::Header(id.0, header.clone()).fields();
    HEADER_FIELDS
        .iter()
        .map(|(label, field)| {
            let cell = match *field {
                "id" => Some(Cell::Text(id.to_string())),
                "start_date" | "revision_date" => header_date(&fields, field).map(Cell::Date),
                _ => match fields.get(*field) {
                    Some(Value::String(s)) if !s.is_empty() => Some(Cell::Text(s.clone())),
                    _ => None,
                },
            };
            (*label, cell)
        })
        .collect()
}

fn header_date(fields: &serde_json::Map<String, Value>, field: &str) -> Option<NaiveDate> {
    fields
        .get(field)
        .and_then(Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// The label of a header field, if `text` is one (any case).
pub fn header_label(text: &str) -> Option<&'static str> {
    let t = text.trim().trim_end_matches(':').trim();
    HEADER_FIELDS
        .iter()
        .find(|(label, _)| label.eq_ignore_ascii_case(t))
        .map(|(label, _)| *label)
}

/// Builds the header from labelled cells, each with the row and column it was found at.
/// A file without a kind is taken as a design FMEA; without a name it is called `fallback_name`.
pub fn read_header(
    cells: &[(&'static str, Cell, usize, String)],
    fallback_name: &str,
) -> (FmeaHeader, Option<FmeaId>, Vec<ImportProblem>) {
    let mut problems = Vec::new();
    let mut id = None;
    let blank = FmeaHeader {
        name: fallback_name.to_owned(),
        ..FmeaHeader::default()
    };
    let mut entity = Entity::Header(Uuid::nil(), blank);
    for (label, cell, row, column) in cells {
        let Some((_, field)) = HEADER_FIELDS.iter().find(|(l, _)| l == label) else {
            continue;
        };
        let text = cell.text().trim().to_owned();
        if text.is_empty() {
            continue;
        }
        let value = match (*field, cell) {
            ("id", _) => {
                match Uuid::parse_str(&text) {
                    Ok(u) => id = Some(FmeaId(u)),
                    Err(_) => problems.push(ImportProblem::at(
                        *row,
                        column,
                        format!(
                            "`{text}` is not an FMEA id Vigil wrote; leave it empty for a new FMEA"
                        ),
                    )),
                }
                continue;
            }
            ("kind", _) => match FmeaKind::parse(&text) {
                Some(kind) => Value::String(kind.as_str().to_owned()),
                None => {
                    problems.push(ImportProblem::at(
                        *row,
                        column,
                        format!("`{text}` is not an FMEA kind: write design, process or msr"),
                    ));
                    continue;
                }
            },
            (_, Cell::Date(d)) => Value::String(d.format("%Y-%m-%d").to_string()),
            _ => Value::String(text.clone()),
        };
        match entity.with_field(field, value) {
            Ok(updated) => entity = updated,
            Err(_) => problems.push(ImportProblem::at(
                *row,
                column,
                format!("`{text}` does not fit {label}: dates are written YYYY-MM-DD"),
            )),
        }
    }
    let header = match entity {
        Entity::Header(_, h) => h,
        _ => FmeaHeader::default(),
    };
    (header, id, problems)
}
