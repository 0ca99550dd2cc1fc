//! `vigil spc`: control charts, run rules and capability for a CSV, TSV or XLSX file, with the
//! same `vigil_core::spc` code the app draws its charts with.
//!
//! The file needs a header row; options name its columns. Rows marked true in the `--phase1`
//! column set the limits (phase I) and the others are judged against those frozen limits
//! (phase II); without it every row is phase I. A problem in the file exits 1 with the row and
//! column to fix; a usage mistake (an option the chart does not take) exits 2. The database is
//! not opened.
//!
//! The modules: `table` reads the file, `columns` reads typed cells and subgroups, `analysis`
//! computes, `report` is the result (the `--json` output) and `text` prints it for people.

mod analysis;
mod columns;
mod error;
mod report;
mod table;
mod text;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use vigil_core::spc::{Rule, SpecLimits};

pub use error::SpcInputError;

use analysis::Request;
use columns::Column;
use report::{CapabilityReport, ColumnNames, Report};
use table::Table;

/// `vigil spc ...`
#[derive(Debug, Args)]
pub struct SpcArgs {
    /// The control chart.
    #[arg(long, value_enum)]
    pub chart: ChartArg,
    /// The data file: .csv, .tsv or .xlsx (other text files have their delimiter guessed).
    #[arg(long, value_name = "FILE")]
    pub input: PathBuf,
    /// The measured value (imr, xbar-*), nonconforming count (p, np) or defect count (c, u).
    /// Default: the first column no other option names.
    #[arg(long, value_name = "COL")]
    pub value: Option<String>,
    /// xbar-r and xbar-s: the column whose equal values form one subgroup.
    #[arg(long, value_name = "COL")]
    pub subgroup: Option<String>,
    /// p and np: items inspected per sample; u: units inspected (fractions allowed).
    #[arg(long, value_name = "COL")]
    pub size: Option<String>,
    /// A TRUE/FALSE (or 1/0) column: true rows set the limits, the others are judged by them.
    #[arg(long, value_name = "COL")]
    pub phase1: Option<String>,
    /// Upper specification limit, for capability (variables charts).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub usl: Option<f64>,
    /// Lower specification limit, for capability (variables charts).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    pub lsl: Option<f64>,
    /// The run rules applied to the I, Xbar or attributes chart (spread charts get only the
    /// limits).
    #[arg(long, value_enum, default_value_t = RulesArg::Nelson)]
    pub rules: RulesArg,
    /// Print JSON (every point, its limits and the violations) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `--chart`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartArg {
    /// Subgroup means and ranges.
    XbarR,
    /// Subgroup means and standard deviations.
    XbarS,
    /// Individuals and moving ranges.
    Imr,
    /// Proportion nonconforming (sample sizes may vary).
    P,
    /// Number nonconforming (one sample size).
    Np,
    /// Defects per sample (equal areas of opportunity).
    C,
    /// Defects per unit (varying areas of opportunity).
    U,
}

impl ChartArg {
    fn is_xbar(self) -> bool {
        matches!(self, ChartArg::XbarR | ChartArg::XbarS)
    }

    fn needs_size(self) -> bool {
        matches!(self, ChartArg::P | ChartArg::Np | ChartArg::U)
    }

    fn is_variables(self) -> bool {
        self.is_xbar() || self == ChartArg::Imr
    }

    fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

/// `--rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesArg {
    /// Nelson's eight rules.
    Nelson,
    /// The four Western Electric zone rules.
    WesternElectric,
}

impl SpcArgs {
    /// Option combinations the chart cannot use, in words (exit 2).
    pub fn usage_problem(&self) -> Option<String> {
        let chart = self.chart.name();
        if self.chart.is_xbar() && self.subgroup.is_none() {
            return Some(format!(
                "--chart {chart} needs --subgroup COL: the column whose equal values form a \
                 subgroup"
            ));
        }
        if !self.chart.is_xbar() && self.subgroup.is_some() {
            return Some(format!(
                "--subgroup is for xbar-r and xbar-s; --chart {chart} takes one sample per row"
            ));
        }
        if self.chart.needs_size() && self.size.is_none() {
            return Some(format!(
                "--chart {chart} needs --size COL: the column of items or units inspected"
            ));
        }
        if !self.chart.needs_size() && self.size.is_some() {
            return Some(format!("--size is for p, np and u charts, not {chart}"));
        }
        let spec = [self.lsl, self.usl];
        if !self.chart.is_variables() && spec.iter().any(Option::is_some) {
            return Some(format!(
                "--usl and --lsl are for xbar-r, xbar-s and imr: capability needs measurements, \
                 and --chart {chart} counts"
            ));
        }
        if spec.iter().flatten().any(|x| !x.is_finite()) {
            return Some("--usl and --lsl must be finite numbers".to_owned());
        }
        if let [Some(lsl), Some(usl)] = spec {
            if lsl >= usl {
                return Some(format!("--lsl ({lsl}) must be below --usl ({usl})"));
            }
        }
        None
    }

    fn spec(&self) -> Option<SpecLimits> {
        (self.lsl.is_some() || self.usl.is_some()).then_some(SpecLimits {
            lower: self.lsl,
            upper: self.usl,
        })
    }
}

/// Runs `vigil spc ...`.
pub fn run(args: &SpcArgs) -> anyhow::Result<()> {
    let table = Table::read(&args.input)?;
    let report = analyse(&table, args)?;

    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        text::write_report(&mut out, &report)?;
    }
    Ok(())
}

/// The report for `table` as `args` describe it.
fn analyse(table: &Table, args: &SpcArgs) -> anyhow::Result<Report> {
    let find = |name: &Option<String>| name.as_deref().map(|n| Column::find(table, n)).transpose();
    let (subgroup, size, phase) = (
        find(&args.subgroup)?,
        find(&args.size)?,
        find(&args.phase1)?,
    );
    let value = match &args.value {
        Some(name) => Column::find(table, name)?,
        None => default_value_column(table, [&subgroup, &size, &phase])?,
    };
    let rules: &[Rule] = match args.rules {
        RulesArg::Nelson => &Rule::NELSON,
        RulesArg::WesternElectric => &Rule::WESTERN_ELECTRIC,
    };

    let columns = ColumnNames {
        value: value.name.clone(),
        subgroup: args.subgroup.clone(),
        size: args.size.clone(),
        phase1: args.phase1.clone(),
    };
    let spec = args.spec();
    let request = Request {
        chart: args.chart,
        rules,
        spec,
        value,
        subgroup,
        size,
        phase,
    };
    let analysis = analysis::analyse(table, &request)?;
    Ok(Report {
        chart: args.chart.name(),
        input: args.input.display().to_string(),
        columns,
        rules: args
            .rules
            .to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default(),
        baseline_samples: analysis.baseline_samples,
        later_samples: analysis.later_samples,
        limits: analysis.limits,
        charts: analysis.charts,
        capability: spec
            .zip(analysis.capability)
            .map(|(spec, figures)| CapabilityReport { spec, figures }),
    })
}

/// The first column that no other option names.
fn default_value_column(
    table: &Table,
    named: [&Option<Column>; 3],
) -> Result<Column, SpcInputError> {
    let taken: Vec<usize> = named
        .iter()
        .filter_map(|c| c.as_ref().map(|c| c.index))
        .collect();
    let index = (0..table.headers.len())
        .find(|i| !taken.contains(i))
        .ok_or(SpcInputError::NoValueColumn)?;
    Ok(Column {
        index,
        name: table.headers[index].clone(),
    })
}
