//! Reading a data file into a table of text cells: CSV and TSV through the `csv` crate, XLSX
//! (and the other workbook formats calamine knows) through `calamine`, one code path after that.
//!
//! The format is taken from the extension (`.csv`, `.tsv`/`.tab`, `.xlsx`/`.xlsm`/`.xls`/
//! `.xlsb`/`.ods`); any other file is read as text and its delimiter guessed from the header
//! line (a tab, else the more frequent of `;` and `,`). Workbooks are read from their first
//! sheet. Cells stay text here, so every typed reading ([`super::columns`]) can name the cell it
//! could not read; workbook numbers are written back with Rust's shortest round-trip formatting,
//! so they parse back to the same `f64`.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use super::error::SpcInputError;

/// A header and the data rows under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names, trimmed.
    pub headers: Vec<String>,
    /// The data rows, in file order.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row number a spreadsheet shows (the header is row 1).
    pub number: usize,
    /// The cells, trimmed; a short row simply has fewer.
    pub cells: Vec<String>,
}

impl Row {
    /// The cell in column `index`, empty when the row is short.
    pub fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
    }
}

impl Table {
    /// Reads `path`, choosing the reader from its extension.
    pub fn read(path: &Path) -> Result<Self, SpcInputError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let table = match extension.as_deref() {
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods") => read_workbook(path)?,
            Some("csv") => read_delimited(path, b',')?,
            Some("tsv" | "tab") => read_delimited(path, b'\t')?,
            _ => read_delimited(path, sniff_delimiter(path)?)?,
        };
        if table.rows.is_empty() {
            return Err(SpcInputError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(table)
    }

    /// The position of the column named `name`.
    pub fn column(&self, name: &str) -> Result<usize, SpcInputError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| SpcInputError::MissingColumn {
                column: name.to_owned(),
                available: self.headers.join(", "),
            })
    }
}

fn unreadable(path: &Path, reason: impl ToString) -> SpcInputError {
    SpcInputError::Unreadable {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// Guesses the delimiter of a text file from its first line.
fn sniff_delimiter(path: &Path) -> Result<u8, SpcInputError> {
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    Ok(if count('\t') > 0 {
        b'\t'
    } else if count(';') > count(',') {
        b';'
    } else {
        b','
    })
}

fn read_delimited(path: &Path, delimiter: u8) -> Result<Table, SpcInputError> {
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| unreadable(path, e))?
        .iter()
        // A UTF-8 byte order mark, as spreadsheet programs write, is not part of the name.
        .map(|h| h.trim_start_matches('\u{feff}').to_owned())
        .collect();

    // csv skips blank lines without counting them in its line numbers, and its byte position
    // of a record may sit on the line breaks before it; a row's number is that of the first
    // byte after those breaks.
    let newlines: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(path, e))?;
        let start = record.position().map_or(bytes.len(), |p| {
            usize::try_from(p.byte()).unwrap_or(usize::MAX)
        });
        let start = (start..bytes.len())
            .find(|&i| bytes[i] != b'\r' && bytes[i] != b'\n')
            .unwrap_or(start);
        rows.push(Row {
            number: newlines.partition_point(|&nl| nl < start) + 1,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(Table { headers, rows })
}

fn read_workbook(path: &Path) -> Result<Table, SpcInputError> {
    let mut workbook = open_workbook_auto(path).map_err(|e| unreadable(path, e))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable(path, "the workbook has no sheet"))?
        .map_err(|e| unreadable(path, e))?;
    // The range starts at the first used cell; spreadsheet rows count from one.
    let first_row = range.start().map_or(0, |(row, _)| row as usize) + 1;

    let mut lines = range
        .rows()
        .map(|cells| cells.iter().map(cell_text).collect());
    let headers: Vec<String> = lines.next().unwrap_or_default();
    let rows = lines
        .enumerate()
        .map(|(i, cells)| Row {
            number: first_row + 1 + i,
            cells,
        })
        .filter(|row| row.cells.iter().any(|c| !c.is_empty()))
        .collect();
    Ok(Table { headers, rows })
}

/// A workbook cell as the text a CSV file would hold for it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(name: &str, text: &str) -> Table {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("writable");
        Table::read(&path).expect("a table")
    }

    #[test]
    fn a_semicolon_file_without_a_known_extension_is_sniffed() {
        let table = table_of("data.txt", "value;sample\n1,5;1\n2,5;1\n");
        assert_eq!(table.headers, ["value", "sample"]);
        assert_eq!(table.rows[1].cells, ["2,5", "1"]);
    }

    #[test]
    fn rows_keep_their_line_numbers_across_blank_lines() {
        let table = table_of("data.csv", "x,y\r\n1,2\r\n\r\n3,4\n\n\n5,6");
        let numbers: Vec<usize> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 4, 7]);
    }

    #[test]
    fn a_byte_order_mark_does_not_hide_the_first_column() {
        let table = table_of("data.csv", "\u{feff}x,y\n1,2\n");
        assert_eq!(table.column("x").expect("found"), 0);
    }

    #[test]
    fn a_header_alone_is_refused_as_empty() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("empty.tsv");
        std::fs::write(&path, "x\ty\n").expect("writable");
        assert!(matches!(
            Table::read(&path),
            Err(SpcInputError::Empty { .. })
        ));
    }
}
