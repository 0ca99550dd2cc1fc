//! The FMEA as an xlsx workbook in the AIAG-VDA form layout: a title, the header block, the band
//! of the seven-step method's steps, the column titles, then one row per chain. Written with
//! rust_xlsxwriter and read back with calamine's cell-by-cell reader, which never allocates the
//! sheet's whole rectangle (a crafted file claiming a million rows costs nothing).

use std::io::Cursor;

use calamine::{open_workbook_from_rs, DataRef, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use uuid::Uuid;
use vigil_core::fmea::Fmea;

use super::error::ImportProblem;
use super::form::{Cell, Column, FormRow, STEPS};
use super::form_header::{header_cells, header_label, read_header};
use super::form_read::read_form;
use super::form_write::form_rows;

const TITLE_ROW: u32 = 8;
/// More cells than any worksheet a team keeps; past it the file is refused, not read.
const MAX_CELLS: usize = 2_000_000;

/// The workbook's bytes.
pub fn write_xlsx(fmea: &Fmea) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("FMEA")?;
    let bold = Format::new().set_bold();
    let band = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#D9E1F2");
    let title = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_background_color("#F2F2F2");
    let wrap = Format::new().set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let last_col = (Column::ALL.len() - 1) as u16;

    sheet.merge_range(
        0,
        0,
        0,
        12,
        &format!("{}: {}", fmea.kind().title(), fmea.header.name),
        &bold,
    )?;
    for (i, (label, cell)) in header_cells(fmea.id, &fmea.header).into_iter().enumerate() {
        let (row, col) = (1 + (i % 5) as u32, (i / 5) as u16 * 4);
        sheet.write_string_with_format(row, col, label, &bold)?;
        if let Some(cell) = cell {
            write_cell(sheet, row, col + 1, &cell, &wrap, &date)?;
        }
    }
    for (name, first, last) in STEPS {
        sheet.merge_range(
            TITLE_ROW - 1,
            first as u16,
            TITLE_ROW - 1,
            last as u16,
            name,
            &band,
        )?;
    }
    for (i, column) in Column::ALL.iter().enumerate() {
        sheet.write_string_with_format(TITLE_ROW, i as u16, column.title(fmea.kind()), &title)?;
        let width = match column {
            c if *c >= Column::HigherElementId => 38,
            Column::Severity
            | Column::Occurrence
            | Column::Detection
            | Column::Ap
            | Column::Rpn => 9,
            c if c.is_action()
                && !matches!(c, Column::Action | Column::ActionTaken | Column::Evidence) =>
            {
                12
            }
            _ => 26,
        };
        sheet.set_column_width(i as u16, width)?;
    }
    for (r, row) in form_rows(fmea).iter().enumerate() {
        for (column, cell) in row {
            write_cell(
                sheet,
                TITLE_ROW + 1 + r as u32,
                *column as u16,
                cell,
                &wrap,
                &date,
            )?;
        }
    }
    sheet.set_freeze_panes(TITLE_ROW + 1, 0)?;
    sheet.autofilter(TITLE_ROW, 0, TITLE_ROW, last_col)?;
    book.save_to_buffer()
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    wrap: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) => sheet.write_string_with_format(row, col, t, wrap)?,
        Cell::Number(n) => sheet.write_number(row, col, *n)?,
        Cell::Date(d) => {
            let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_date_with_format(row, col, &when, date)?
        }
    };
    Ok(())
}

/// Reads a workbook written by [`write_xlsx`] (or typed by hand in its layout) into an FMEA,
/// or every problem found, with row and column.
pub fn read_xlsx(
    bytes: &[u8],
    file_name: &str,
    new_id: &mut dyn FnMut() -> Uuid,
) -> Result<Fmea, Vec<ImportProblem>> {
    let cells = sheet_cells(bytes)?;
    let Some(title_row) = cells
        .iter()
        .find(|(_, _, c)| Column::from_title(&c.text()) == Some(Column::HigherElement))
        .map(|(r, ..)| *r)
    else {
        return Err(vec![ImportProblem::file(format!(
            "no row of column titles was found: the first sheet needs a row whose first title is \"{}\"",
            Column::HigherElement.title(Default::default())
        ))]);
    };

    let mut problems = Vec::new();
    let mut columns = std::collections::BTreeMap::new();
    let mut labels = Vec::new();
    for (row, col, cell) in &cells {
        let text = cell.text();
        if *row == title_row {
            match Column::from_title(&text) {
                Some(c) => {
                    columns.insert(*col, c);
                }
                None if text.trim().is_empty() => {}
                None => problems.push(ImportProblem::at(row + 1, &col_name(*col, &text), "unknown column: use the titles of a sheet Vigil exported, or remove the column")),
            }
        } else if *row < title_row {
            if let Some(label) = header_label(&text) {
                if let Some((.., value)) = cells.iter().find(|(r, c, _)| r == row && *c == col + 1)
                {
                    labels.push((label, value.clone(), row + 1, col_name(col + 1, label)));
                }
            }
        }
    }
    let (header, id, header_problems) = read_header(&labels, file_name);
    problems.extend(header_problems);

    let mut rows: Vec<(usize, FormRow)> = Vec::new();
    for (row, col, cell) in cells.into_iter().filter(|(r, ..)| *r > title_row) {
        let Some(column) = columns.get(&col) else {
            continue;
        };
        if rows.last().map(|(n, _)| *n) != Some(row + 1) {
            rows.push((row + 1, FormRow::new()));
        }
        if let Some((_, r)) = rows.last_mut() {
            r.insert(*column, cell);
        }
    }
    match read_form(header, id, &rows, new_id) {
        Ok(fmea) if problems.is_empty() => Ok(fmea),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// Every non-empty cell of the first sheet as (row, column, value), 0-based, in row order.
fn sheet_cells(bytes: &[u8]) -> Result<Vec<(usize, usize, Cell)>, Vec<ImportProblem>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        vec![ImportProblem::file(format!("this is not an xlsx workbook Vigil can read ({e}); save it from the spreadsheet as .xlsx"))]
    };
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = book.sheet_names().first().cloned() else {
        return Err(unreadable(&"it has no sheet"));
    };
    let mut reader = book
        .worksheet_cells_reader(&first)
        .map_err(|e| unreadable(&e))?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(&e))? {
        if cells.len() >= MAX_CELLS {
            return Err(vec![ImportProblem::file(format!(
                "the sheet has more than {MAX_CELLS} cells; split the FMEA"
            ))]);
        }
        let (row, col) = cell.get_position();
        if let Some(value) = to_cell(cell.get_value()) {
            cells.push((row as usize, col as usize, value));
        }
    }
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    Ok(cells)
}

fn to_cell(data: &DataRef<'_>) -> Option<Cell> {
    let text = |s: &str| (!s.trim().is_empty()).then(|| Cell::Text(s.to_owned()));
    match data {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => Some(Cell::Number(*i as f64)),
        DataRef::Float(f) => Some(Cell::Number(*f)),
        DataRef::Bool(b) => Some(Cell::Text(b.to_string())),
        // The date in the workbook's own date system (1900 or 1904), time of day dropped.
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)).map(Cell::Date)
        }
        DataRef::DateTime(dt) => Some(Cell::Number(dt.as_f64())),
        DataRef::Error(e) => Some(Cell::Text(format!("#{e:?}"))),
        DataRef::Empty => None,
    }
}

/// `C "Failure mode (FM)"`-style name of a column: its letter, and the title seen there.
fn col_name(col: usize, seen: &str) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters} ({})", seen.trim())
}
