//! A file's rows as text cells under named columns, whether it is CSV or JSON.
//!
//! Rows are numbered for a person to find them: in a CSV, by the line a record starts on (the
//! header is row 1; this is also the spreadsheet's row number unless a quoted value spans
//! lines); in JSON, by the object's place in the array, the first being row 1.

use serde_json::Value;

use super::Problem;

/// The kinds of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// A JSON array of objects, one per incident.
    Json,
}

impl Format {
    /// The format of a file: by its extension, else by its first character (`[` is JSON).
    pub fn detect(path: &std::path::Path, bytes: &[u8]) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
            _ if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// One row: its number and its cells, one per column (`None` where empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row's number, as in the module documentation.
    pub number: usize,
    /// The cells, trimmed.
    pub cells: Vec<Option<String>>,
}

/// The columns and the rows that could be read; a row that could not be read is a problem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The column names, in the file's order.
    pub headers: Vec<String>,
    /// The rows, in the file's order.
    pub rows: Vec<Row>,
}

/// Reads `bytes` as `format`. Whole-file problems (not a CSV or JSON at all) end the reading;
/// problems of single rows are collected in `problems` and the rest is read on.
pub fn read(bytes: &[u8], format: Format, problems: &mut Vec<Problem>) -> Option<Table> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match format {
        Format::Csv => read_csv(bytes, problems),
        Format::Json => read_json(bytes, problems),
    }
}

fn cell(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn read_csv(bytes: &[u8], problems: &mut Vec<Problem>) -> Option<Table> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(Problem::file(format!("the header row cannot be read: {e}")));
            return None;
        }
    };
    let mut names = Vec::with_capacity(headers.len());
    for (i, name) in headers.iter().enumerate() {
        match std::str::from_utf8(name) {
            Ok(name) => names.push(name.trim().to_owned()),
            Err(_) => {
                problems.push(Problem::row(
                    1,
                    format!("column {} is not UTF-8 text", i + 1),
                ));
                names.push(String::new());
            }
        }
    }
    if !check_headers(&names, problems) {
        return None;
    }

    let mut rows = Vec::new();
    for (index, record) in reader.byte_records().enumerate() {
        let line = |p: Option<&csv::Position>| p.map_or(index + 2, |p| p.line() as usize);
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(Problem::row(
                    line(e.position()),
                    format!("cannot be read: {e}"),
                ));
                continue;
            }
        };
        let number = line(record.position());
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if record.len() != names.len() {
            problems.push(Problem::row(
                number,
                format!(
                    "has {} values, the header has {} columns",
                    record.len(),
                    names.len()
                ),
            ));
            continue;
        }
        let mut cells = Vec::with_capacity(names.len());
        for (field, name) in record.iter().zip(&names) {
            match std::str::from_utf8(field) {
                Ok(text) => cells.push(cell(text)),
                Err(_) => {
                    problems.push(Problem::at(number, name, "is not UTF-8 text".into()));
                    cells.push(None);
                }
            }
        }
        rows.push(Row { number, cells });
    }
    Some(Table {
        headers: names,
        rows,
    })
}

/// Column names must be there and unique, or no cell could be told apart.
fn check_headers(names: &[String], problems: &mut Vec<Problem>) -> bool {
    let before = problems.len();
    if names.iter().all(String::is_empty) {
        problems.push(Problem::file("the file has no header row".into()));
    }
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() && names.len() > 1 {
            problems.push(Problem::row(1, format!("column {} has no name", i + 1)));
        } else if names[..i].contains(name) && !name.is_empty() {
            problems.push(Problem::column(name, "appears twice in the header".into()));
        }
    }
    problems.len() == before
}

fn read_json(bytes: &[u8], problems: &mut Vec<Problem>) -> Option<Table> {
    let values: Vec<Value> = match serde_json::from_slice(bytes) {
        Ok(values) => values,
        Err(e) => {
            problems.push(Problem::file(format!(
                "not a JSON array of objects (one per incident): {e}"
            )));
            return None;
        }
    };
    let mut headers: Vec<String> = Vec::new();
    for object in values.iter().filter_map(Value::as_object) {
        for key in object.keys() {
            if !headers.contains(key) {
                headers.push(key.clone());
            }
        }
    }
    let mut rows = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        let number = index + 1;
        let Some(object) = value.as_object() else {
            problems.push(Problem::row(number, "is not a JSON object".into()));
            continue;
        };
        let mut cells = Vec::with_capacity(headers.len());
        for name in &headers {
            cells.push(match object.get(name) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => cell(s),
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(Value::Bool(b)) => Some(b.to_string()),
                Some(Value::Array(_) | Value::Object(_)) => {
                    problems.push(Problem::at(
                        number,
                        name,
                        "holds a list or an object where one value was expected".into(),
                    ));
                    None
                }
            });
        }
        rows.push(Row { number, cells });
    }
    Some(Table { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_by_the_line_they_start_on() {
        let text = "\u{feff}id,title\n1,\"two\nlines\"\n\n2, padded \n3\n";
        let mut problems = Vec::new();
        let table = read(text.as_bytes(), Format::Csv, &mut problems).unwrap();
        assert_eq!(table.headers, ["id", "title"]);
        assert_eq!(table.rows[0].number, 2);
        assert_eq!(table.rows[1].cells[1].as_deref(), Some("padded"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, Some(6), "{}", problems[0]);
    }

    #[test]
    fn json_objects_become_rows_under_the_union_of_their_keys() {
        let text = r#"[{"id": 7, "title": "A"}, {"id": "8", "team": "sre", "x": null}, 3]"#;
        let mut problems = Vec::new();
        let table = read(text.as_bytes(), Format::Json, &mut problems).unwrap();
        assert_eq!(table.headers, ["id", "title", "team", "x"]);
        assert_eq!(table.rows[0].cells[0].as_deref(), Some("7"));
        assert_eq!(table.rows[1].cells[1], None);
        assert_eq!(problems[0].row, Some(3));
    }

    #[test]
    fn a_header_named_twice_is_a_problem() {
        let mut problems = Vec::new();
        assert!(read(b"id,id\n1,2\n", Format::Csv, &mut problems).is_none());
        assert!(problems[0].to_string().contains("twice"));
    }
}
