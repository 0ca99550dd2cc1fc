//! The FMEA as CSV: the worksheet's columns, then the header fields as trailing columns repeated
//! on every row (a CSV has no room above its table, and a spreadsheet sorting the rows keeps
//! each row whole). The first row holds the titles.

use std::collections::BTreeMap;

use uuid::Uuid;
use vigil_core::fmea::Fmea;

use super::error::ImportProblem;
use super::form::{Cell, Column, FormRow};
use super::form_header::{header_cells, header_label, read_header};
use super::form_read::read_form;
use super::form_write::form_rows;

/// The CSV text.
pub fn write_csv(fmea: &Fmea) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = header_cells(fmea.id, &fmea.header);
    let mut titles: Vec<String> = Column::ALL.iter().map(|c| c.title(fmea.kind())).collect();
    titles.extend(header.iter().map(|(label, _)| (*label).to_owned()));
    out.write_record(&titles)?;
    let header_values: Vec<String> = header
        .iter()
        .map(|(_, c)| c.as_ref().map(Cell::text).unwrap_or_default())
        .collect();
    for row in form_rows(fmea) {
        let mut record: Vec<String> = Column::ALL
            .iter()
            .map(|c| row.get(c).map(Cell::text).unwrap_or_default())
            .collect();
        record.extend(header_values.iter().cloned());
        out.write_record(&record)?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

enum Slot {
    Column(Column),
    Header(&'static str),
}

/// Reads CSV written by [`write_csv`] (or typed by hand with its titles) into an FMEA, or every
/// problem found, with row (line) and column.
pub fn read_csv(
    bytes: &[u8],
    file_name: &str,
    new_id: &mut dyn FnMut() -> Uuid,
) -> Result<Fmea, Vec<ImportProblem>> {
    // Spreadsheets save "CSV UTF-8" with a byte order mark, and in many locales with semicolons.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut problems = Vec::new();
    let mut slots: Vec<Option<Slot>> = Vec::new();
    let mut titles: Vec<String> = Vec::new();
    let mut labels: BTreeMap<&'static str, (Cell, usize, String)> = BTreeMap::new();
    let mut rows: Vec<(usize, FormRow)> = Vec::new();

    for (i, record) in reader.byte_records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(ImportProblem::file(format!(
                    "this is not CSV Vigil can read: {e}"
                )));
                break;
            }
        };
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        let mut fields = Vec::with_capacity(record.len());
        for (col, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(t) => fields.push(t.to_owned()),
                Err(_) => {
                    let title = titles
                        .get(col)
                        .cloned()
                        .unwrap_or_else(|| format!("{}", col + 1));
                    problems.push(ImportProblem::at(
                        line,
                        &title,
                        "this cell is not UTF-8 text: save the file as CSV UTF-8",
                    ));
                    fields.push(String::new());
                }
            }
        }
        if i == 0 {
            for (col, title) in fields.iter().enumerate() {
                let slot = match (Column::from_title(title), header_label(title)) {
                    (Some(c), _) => Some(Slot::Column(c)),
                    (None, Some(label)) => Some(Slot::Header(label)),
                    (None, None) if title.trim().is_empty() => None,
                    (None, None) => {
                        problems.push(ImportProblem::at(line, &format!("{} ({title})", col + 1), "unknown column: use the titles of a CSV Vigil exported, or remove the column"));
                        None
                    }
                };
                slots.push(slot);
            }
            if !slots
                .iter()
                .any(|s| matches!(s, Some(Slot::Column(Column::HigherElement))))
            {
                problems.push(ImportProblem::at(
                    line,
                    "1",
                    format!(
                        "the first row must hold the column titles, with \"{}\" among them",
                        Column::HigherElement.title(Default::default())
                    ),
                ));
            }
            titles = fields;
            continue;
        }
        if fields.len() > slots.len() && fields[slots.len()..].iter().any(|f| !f.trim().is_empty())
        {
            problems.push(ImportProblem::at(
                line,
                &format!("{}", slots.len() + 1),
                "this row has more cells than there are titles",
            ));
        }
        let mut row = FormRow::new();
        for (col, value) in fields.into_iter().enumerate() {
            if value.trim().is_empty() {
                continue;
            }
            match slots.get(col) {
                Some(Some(Slot::Column(c))) => {
                    row.insert(*c, Cell::Text(value));
                }
                Some(Some(Slot::Header(label))) => match labels.get(label) {
                    None => {
                        labels.insert(label, (Cell::Text(value), line, titles[col].clone()));
                    }
                    Some((first, _, _)) if first.text() != value => problems.push(ImportProblem::at(line, label, format!("differs from the first row's `{}`: the header is the same on every row", first.text()))),
                    Some(_) => {}
                },
                _ => {}
            }
        }
        rows.push((line, row));
    }
    if slots.is_empty() && problems.is_empty() {
        problems.push(ImportProblem::file(
            "the file is empty: the first row must hold the column titles",
        ));
    }
    let labels: Vec<(&'static str, Cell, usize, String)> = labels
        .into_iter()
        .map(|(l, (c, r, t))| (l, c, r, t))
        .collect();
    let (header, id, header_problems) = read_header(&labels, file_name);
    problems.extend(header_problems);
    match read_form(header, id, &rows, new_id) {
        Ok(fmea) if problems.is_empty() => Ok(fmea),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// The separator of the title row: the most frequent of comma, semicolon and tab (comma when
/// none appears).
fn delimiter(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| first.iter().filter(|b| **b == d).count();
    [b';', b'\t']
        .into_iter()
        .filter(|d| count(*d) > count(b','))
        .max_by_key(|d| count(*d))
        .unwrap_or(b',')
}
