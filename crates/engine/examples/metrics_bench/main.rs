//! The Rust half of `cargo xtask bench metrics`: builds the million-incident database once, and
//! times the Metrics page over it. Run by the xtask (which also runs the pandas half and compares
//! them); by hand:
//!
//! ```sh
//! cargo run --release -p vigil-engine --example metrics_bench -- generate DB [COUNT]
//! cargo run --release -p vigil-engine --example metrics_bench -- measure DB 2026-03-09 \
//!     2026-06-01 America/New_York 5
//! ```
//!
//! COUNT (default a million) makes a smaller database over the same two years, for trying the
//! pandas script or the output quickly. `measure` prints lines `name value...` on stdout: the times of each repetition, then
//! `= name value` for each aggregate the xtask checks against pandas (`null` where a figure does
//! not exist). Plain lines keep the xtask free of a JSON parser; `xtask/bench/metrics.py` prints
//! the same format.

// Printing the JSON result is this program's output, as for the CLI.
#![allow(clippy::print_stdout)]

mod generate;
mod measure;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};

const USAGE: &str = "usage: metrics_bench generate DB [COUNT] | measure DB SINCE UNTIL ZONE REPEAT";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("metrics_bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print(measured: &measure::Measured) {
    let join = |values: &[f64]| {
        let words: Vec<String> = values.iter().map(f64::to_string).collect();
        words.join(" ")
    };
    println!("facts {}", measured.facts);
    println!("load_ms {}", join(&measured.load_ms));
    println!("compute_ms {}", join(&measured.compute_ms));
    println!("report_ms {}", join(&measured.report_ms));
    for (name, value) in &measured.aggregates {
        let value = value.map_or_else(|| "null".to_owned(), |v| v.to_string());
        println!("= {name} {value}");
    }
}

fn run(args: Vec<String>) -> anyhow::Result<()> {
    match args.as_slice() {
        [cmd, db] if cmd == "generate" => {
            generate::database(&PathBuf::from(db), generate::INCIDENTS)
        }
        [cmd, db, count] if cmd == "generate" => {
            let count = count.parse().context("COUNT is a whole number")?;
            generate::database(&PathBuf::from(db), count)
        }
        [cmd, db, since, until, zone, repeat] if cmd == "measure" => {
            let repeat = repeat.parse().context("REPEAT is a whole number")?;
            let measured = measure::metrics_page(&PathBuf::from(db), since, until, zone, repeat)?;
            print(&measured);
            Ok(())
        }
        _ => bail!("{USAGE}"),
    }
}
