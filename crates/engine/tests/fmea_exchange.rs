//! FMEA files: xlsx and CSV round trips give back the same FMEA, and a bad file imports nothing
//! while listing every problem with its row and column.
#![allow(clippy::unwrap_used, reason = "a test fails on purpose")]

mod fmea_fixture;

use fmea_fixture::{rich_fmea, store};
use uuid::Uuid;
use vigil_engine::fmea::{read_csv, read_xlsx, write_csv, write_xlsx, FmeaError, Format};

#[test]
fn an_fmea_written_to_xlsx_and_read_back_is_the_same_fmea() {
    let fmea = rich_fmea();

    let bytes = write_xlsx(&fmea).unwrap();
    let back = read_xlsx(&bytes, "checkout", &mut Uuid::now_v7).unwrap();

    assert_eq!(back, fmea);
}

#[test]
fn an_fmea_written_to_csv_and_read_back_is_the_same_fmea() {
    let fmea = rich_fmea();

    let bytes = write_csv(&fmea).unwrap();
    let back = read_csv(&bytes, "checkout", &mut Uuid::now_v7).unwrap();

    assert_eq!(back, fmea);
}

#[test]
fn an_fmea_exported_from_one_database_imports_equal_into_another() {
    let (_a, mut first) = store();
    let (_b, mut second) = store();
    let fmea = rich_fmea();
    first.create_fmea(&fmea, "ana").unwrap();

    for format in [Format::Xlsx, Format::Csv, Format::Bundle] {
        let (_c, mut fresh) = store();
        let bytes = first.export_fmea(fmea.id, format).unwrap();
        let id = fresh
            .import_fmea(&bytes, "checkout.file", format, "bo")
            .unwrap();
        assert_eq!(fresh.load_fmea(id).unwrap(), fmea, "{format:?}");
    }
    let bytes = first.export_fmea(fmea.id, Format::Xlsx).unwrap();
    second
        .import_fmea(&bytes, "checkout.xlsx", Format::Xlsx, "bo")
        .unwrap();
    let again = second
        .import_fmea(&bytes, "checkout.xlsx", Format::Xlsx, "bo")
        .unwrap_err();
    assert!(
        matches!(again, FmeaError::AlreadyExists(id) if id == fmea.id),
        "{again}"
    );
}

/// A CSV typed by hand with three mistakes on three rows, and a column Vigil does not know.
const BAD_CSV: &str = "\
Next higher level,Focus element,Focus element function,Failure mode (FM),Failure effect (FE),Severity (S),Occurrence (O),Detection (D),Owner's mood,FMEA kind
Checkout,Payments,Take payments,Card declined wrongly,Lost sale,8,4,3,,process
Checkout,Payments,Take payments,,Double charge,9,2,2,,process
Checkout,Payments,Take payments,Timeout,Slow page,11,3,2,,process
Checkout,Payments,Take payments,Stale price,Wrong total,7,x,2,,process
";

#[test]
fn a_bad_csv_imports_nothing_and_lists_every_problem_with_row_and_column() {
    let (_dir, mut store) = store();

    let err = store
        .import_fmea(BAD_CSV.as_bytes(), "bad.csv", Format::Csv, "ana")
        .unwrap_err();

    let FmeaError::Import(report) = err else {
        panic!("not an import report: {err}")
    };
    let found: Vec<(Option<usize>, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(1), Some("9 (Owner's mood)")),
            (Some(3), Some("Failure mode (FM)")),
            (Some(4), Some("Severity (S)")),
            (Some(5), Some("Occurrence (O)")),
        ],
        "{report}"
    );
    assert!(report.problems[1]
        .message
        .contains("failure mode is missing"));
    assert!(report.problems[2].message.contains("1 to 10"));
    assert!(store.list_fmeas().unwrap().is_empty());
}

#[test]
fn a_bad_xlsx_imports_nothing_and_lists_every_problem_with_row_and_column() {
    let (_dir, mut store) = store();
    // A workbook typed by hand: a header block, the titles on row 4, three bad rows.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "FMEA name").unwrap();
    sheet.write(0, 1, "Checkout").unwrap();
    sheet.write(1, 0, "Start date").unwrap();
    sheet.write(1, 1, "first of May").unwrap();
    let titles = [
        "Next higher level",
        "Focus element",
        "Focus element function",
        "Failure mode (FM)",
        "Failure cause (FC)",
        "Severity (S)",
        "Detection (D)",
        "Colour",
    ];
    for (c, title) in titles.iter().enumerate() {
        sheet.write(3, c as u16, *title).unwrap();
    }
    let rows: [(&str, &str, f64, f64); 3] = [
        ("Card declined wrongly", "Bad rule", 8.0, 3.0),
        ("", "Disk full", 6.0, 2.0),
        ("Timeout", "Slow bank", 7.0, 12.0),
    ];
    for (i, (mode, cause, s, d)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        sheet.write(r, 0, "Checkout").unwrap();
        sheet.write(r, 1, "Payments").unwrap();
        sheet.write(r, 2, "Take payments").unwrap();
        if !mode.is_empty() {
            sheet.write(r, 3, *mode).unwrap();
        }
        sheet.write(r, 4, *cause).unwrap();
        sheet.write(r, 5, *s).unwrap();
        sheet.write(r, 6, *d).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();

    let err = store
        .import_fmea(&bytes, "bad.xlsx", Format::Xlsx, "ana")
        .unwrap_err();

    let FmeaError::Import(report) = err else {
        panic!("not an import report: {err}")
    };
    let found: Vec<(Option<usize>, Option<&str>)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(4), Some("H (Colour)")),
            (Some(2), Some("B (Start date)")),
            (Some(6), Some("Failure mode (FM)")),
            (Some(7), Some("Detection (D)")),
        ],
        "{report}"
    );
    assert!(store.list_fmeas().unwrap().is_empty());
}

#[test]
fn a_csv_saved_by_a_spreadsheet_with_a_bom_and_semicolons_reads() {
    let text = "\u{feff}Next higher level;Focus element;Focus element function;Failure mode (FM);Severity (S)\n\
                Checkout;Payments;Take payments;Timeout;7\n";

    let fmea = read_csv(text.as_bytes(), "checkout", &mut Uuid::now_v7).unwrap();

    assert_eq!(fmea.header.name, "checkout");
    assert_eq!(fmea.failure_modes[0].description, "Timeout");
    assert_eq!(fmea.chains[0].severity.map(|s| s.get()), Some(7));
}

#[test]
fn an_msr_fmea_round_trips_with_frequency_and_monitoring_columns() {
    let mut fmea = rich_fmea();
    fmea.header.kind = vigil_core::fmea::FmeaKind::Msr;
    for e in &mut fmea.elements {
        e.work_element_type = None;
    }
    assert!(fmea.problems().is_empty());

    let csv = write_csv(&fmea).unwrap();
    let xlsx = write_xlsx(&fmea).unwrap();

    assert!(String::from_utf8_lossy(&csv).contains("Frequency (F)"));
    assert_eq!(read_csv(&csv, "x", &mut Uuid::now_v7).unwrap(), fmea);
    assert_eq!(read_xlsx(&xlsx, "x", &mut Uuid::now_v7).unwrap(), fmea);
}

#[test]
fn a_hand_typed_sheet_may_repeat_names_in_other_capitals_and_leave_requirements_out() {
    let text = "Next higher level,Focus element,Focus element function,Focus element requirement,Failure mode (FM),Failure cause (FC)\n\
                Checkout,Payments,Take payments,Within 2 s,Timeout,Slow bank\n\
                checkout,payments,take payments,,timeout,Bad card rules\n";

    let fmea = read_csv(text.as_bytes(), "checkout", &mut Uuid::now_v7).unwrap();

    assert_eq!(
        (
            fmea.elements.len(),
            fmea.functions.len(),
            fmea.failure_modes.len()
        ),
        (2, 1, 1)
    );
    assert_eq!(fmea.functions[0].requirement, "Within 2 s");
    assert_eq!(fmea.chains.len(), 2);
}

#[test]
fn two_rows_giving_one_function_two_requirements_are_a_problem() {
    let text = "Next higher level,Focus element,Focus element function,Focus element requirement\n\
                Checkout,Payments,Take payments,Within 2 s\n\
                Checkout,Payments,Take payments,Within 5 s\n";

    let problems = read_csv(text.as_bytes(), "checkout", &mut Uuid::now_v7).unwrap_err();

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (problems[0].row, problems[0].column.as_deref()),
        (Some(3), Some("Focus element function"))
    );
}
