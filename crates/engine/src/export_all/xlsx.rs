//! The incidents as a spreadsheet, for the people who will open the export in Excel or
//! LibreOffice rather than read JSON: one row per incident, times as real date-times (UTC).

use rusqlite::Connection;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// The sheet's columns and the SQL that reads them, in one list so they cannot drift apart.
const COLUMNS: &[(&str, &str)] = &[
    ("Number", "i.number"),
    ("Title", "i.title"),
    ("Source", "s.name"),
    ("Service", "i.service"),
    ("Team", "i.team"),
    ("Urgency", "i.urgency"),
    ("Status", "i.status"),
    ("Created (UTC)", "i.created_at"),
    ("First acknowledged (UTC)", "i.first_acknowledged_at"),
    ("First mitigated (UTC)", "i.first_mitigated_at"),
    ("Resolved (UTC)", "i.resolved_at"),
    ("Merged into", "i.merged_into"),
    ("Reopened", "i.reopen_count"),
    ("Link", "i.url"),
];

/// What failed: reading the rows or writing the workbook.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The database query failed.
    #[error("{0}")]
    Read(#[from] rusqlite::Error),
    /// The workbook could not be built.
    #[error("{0}")]
    Write(#[from] XlsxError),
}

/// The workbook's bytes: every incident, oldest first.
pub fn incidents(conn: &Connection) -> Result<Vec<u8>, SheetError> {
    let select: Vec<&str> = COLUMNS.iter().map(|(_, sql)| *sql).collect();
    let sql = format!(
        "SELECT {} FROM incidents i JOIN sources s ON s.id = i.source_id \
         ORDER BY i.created_at, i.id",
        select.join(", ")
    );
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Incidents")?;
    let bold = Format::new().set_bold();
    let when = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (col, (title, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *title, &bold)?;
    }

    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut r = 1u32;
    while let Some(row) = rows.next()? {
        for (col, (_, sql)) in COLUMNS.iter().enumerate() {
            let c = col as u16;
            match row.get_ref(col)? {
                rusqlite::types::ValueRef::Integer(n) if sql.ends_with("_at") => {
                    sheet.write_datetime_with_format(
                        r,
                        c,
                        ExcelDateTime::from_timestamp(n)?,
                        &when,
                    )?;
                }
                rusqlite::types::ValueRef::Integer(n) => {
                    sheet.write_number(r, c, n as f64)?;
                }
                rusqlite::types::ValueRef::Text(t) => {
                    sheet.write_string(r, c, String::from_utf8_lossy(t))?;
                }
                _ => {}
            }
        }
        r += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), (COLUMNS.len() - 1) as u16)?;
    sheet.autofit();
    book.save_to_buffer().map_err(SheetError::from)
}
