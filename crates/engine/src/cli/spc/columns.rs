//! Typed readings of a table's columns: numbers, counts, phase flags and subgroups, each failing
//! with the row and column of the first cell it cannot use, before any arithmetic starts.
//!
//! A sample is a row (individuals and attributes charts, numbered 1, 2, ... in file order) or
//! a subgroup (Xbar charts: the rows sharing a `--subgroup` value, in order of first
//! appearance, named by that value). Checking counts here rather than leaving it to
//! `vigil_core::spc` is what lets the message name the cell: the core only knows positions.

use std::collections::HashMap;

use vigil_core::spc::{DefectCount, InspectionLot};

use super::error::SpcInputError;
use super::table::{Row, Table};

/// A column found in the header.
#[derive(Debug, Clone)]
pub struct Column {
    /// Its position.
    pub index: usize,
    /// Its header, for messages.
    pub name: String,
}

impl Column {
    /// Finds `name` in `table`'s header.
    pub fn find(table: &Table, name: &str) -> Result<Self, SpcInputError> {
        Ok(Column {
            index: table.column(name)?,
            name: name.to_owned(),
        })
    }

    /// The cell as a finite number.
    pub fn number(&self, row: &Row) -> Result<f64, SpcInputError> {
        let cell = row.cell(self.index);
        match cell.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(SpcInputError::NotANumber {
                row: row.number,
                column: self.name.clone(),
                cell: cell.to_owned(),
            }),
        }
    }

    /// The cell as a whole number; `12.0` (as workbooks store integers) is accepted.
    pub fn count(&self, row: &Row) -> Result<i64, SpcInputError> {
        let x = self.number(row)?;
        if x.fract() != 0.0 || x.abs() > 2f64.powi(53) {
            return Err(SpcInputError::NotACount {
                row: row.number,
                column: self.name.clone(),
                cell: row.cell(self.index).to_owned(),
            });
        }
        Ok(x as i64)
    }

    /// The cell as a phase I flag.
    pub fn flag(&self, row: &Row) -> Result<bool, SpcInputError> {
        let cell = row.cell(self.index);
        match cell.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(SpcInputError::NotABoolean {
                row: row.number,
                column: self.name.clone(),
                cell: cell.to_owned(),
            }),
        }
    }

    fn impossible(&self, row: &Row, problem: String) -> SpcInputError {
        SpcInputError::ImpossibleCount {
            row: row.number,
            column: self.name.clone(),
            problem,
        }
    }

    /// A count that must be zero or more.
    fn non_negative_count(&self, row: &Row) -> Result<i64, SpcInputError> {
        let count = self.count(row)?;
        if count < 0 {
            let problem = format!("the count {count} is negative; counts are zero or more");
            return Err(self.impossible(row, problem));
        }
        Ok(count)
    }
}

/// One plotted sample before the phases are split.
#[derive(Debug, Clone)]
pub struct Sample<T> {
    /// How the sample is named in the output.
    pub label: String,
    /// True when it belongs to the baseline that sets the limits.
    pub phase1: bool,
    /// What the chart reads.
    pub data: T,
}

/// The samples split into the baseline (phase I) and the rest (phase II), labels alongside.
#[derive(Debug, Clone)]
pub struct Phased<T> {
    /// The samples that set the limits.
    pub baseline: Vec<T>,
    /// Their labels.
    pub baseline_labels: Vec<String>,
    /// The samples judged against the frozen limits.
    pub later: Vec<T>,
    /// Their labels.
    pub later_labels: Vec<String>,
}

/// Splits samples by phase; `phase` (the `--phase1` column) only names the column in the error
/// when no sample is phase I.
pub fn split<T>(
    samples: Vec<Sample<T>>,
    phase: Option<&Column>,
) -> Result<Phased<T>, SpcInputError> {
    let mut phased = Phased {
        baseline: Vec::new(),
        baseline_labels: Vec::new(),
        later: Vec::new(),
        later_labels: Vec::new(),
    };
    for sample in samples {
        if sample.phase1 {
            phased.baseline.push(sample.data);
            phased.baseline_labels.push(sample.label);
        } else {
            phased.later.push(sample.data);
            phased.later_labels.push(sample.label);
        }
    }
    if let (true, Some(column)) = (phased.baseline.is_empty(), phase) {
        return Err(SpcInputError::NoBaseline {
            column: column.name.clone(),
        });
    }
    Ok(phased)
}

/// One sample per row, read by `read`, numbered from 1.
pub fn per_row<T>(
    table: &Table,
    phase: Option<&Column>,
    mut read: impl FnMut(&Row) -> Result<T, SpcInputError>,
) -> Result<Vec<Sample<T>>, SpcInputError> {
    table
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            Ok(Sample {
                label: (i + 1).to_string(),
                phase1: phase.map_or(Ok(true), |p| p.flag(row))?,
                data: read(row)?,
            })
        })
        .collect()
}

/// Items nonconforming (`count`) out of items inspected (`size`), for p and np charts.
pub fn lot(row: &Row, count: &Column, size: &Column) -> Result<InspectionLot, SpcInputError> {
    let inspected = size.count(row)?;
    if inspected <= 0 {
        let problem = format!("the sample size {inspected} is not positive; drop empty samples");
        return Err(size.impossible(row, problem));
    }
    let nonconforming = count.non_negative_count(row)?;
    if nonconforming > inspected {
        let problem = format!(
            "{nonconforming} nonconforming out of {inspected} inspected ('{}'); the count cannot \
             exceed the sample size",
            size.name
        );
        return Err(count.impossible(row, problem));
    }
    Ok(InspectionLot {
        nonconforming,
        inspected,
    })
}

/// Defects counted over an area of opportunity (`size`, fractions allowed), for u charts.
pub fn defects(row: &Row, count: &Column, size: &Column) -> Result<DefectCount, SpcInputError> {
    let units = size.number(row)?;
    if units <= 0.0 {
        let problem = format!("the number of units {units} is not positive");
        return Err(size.impossible(row, problem));
    }
    Ok(DefectCount {
        defects: count.non_negative_count(row)?,
        units,
    })
}

/// A defect count, for c charts.
pub fn defect_count(row: &Row, count: &Column) -> Result<i64, SpcInputError> {
    count.non_negative_count(row)
}

/// The values of `value` grouped by `subgroup`, every subgroup the size of the first.
pub fn subgroups(
    table: &Table,
    value: &Column,
    subgroup: &Column,
    phase: Option<&Column>,
) -> Result<Vec<Sample<Vec<f64>>>, SpcInputError> {
    let mut samples: Vec<Sample<Vec<f64>>> = Vec::new();
    let mut first_rows: Vec<usize> = Vec::new();
    let mut positions: HashMap<&str, usize> = HashMap::new();
    for row in &table.rows {
        let key = row.cell(subgroup.index);
        let flag = phase.map_or(Ok(true), |p| p.flag(row))?;
        let x = value.number(row)?;
        match positions.get(key).copied() {
            Some(i) if samples[i].phase1 != flag => {
                return Err(SpcInputError::MixedPhase {
                    row: row.number,
                    column: phase.map(|p| p.name.clone()).unwrap_or_default(),
                    subgroup: key.to_owned(),
                    flag,
                })
            }
            Some(i) => samples[i].data.push(x),
            None => {
                positions.insert(key, samples.len());
                samples.push(Sample {
                    label: key.to_owned(),
                    phase1: flag,
                    data: vec![x],
                });
                first_rows.push(row.number);
            }
        }
    }

    // The size most subgroups have is the one expected, so a single short subgroup is the one
    // blamed even when it comes first.
    let mut tally: Vec<(usize, usize)> = Vec::new();
    for s in &samples {
        match tally.iter_mut().find(|(size, _)| *size == s.data.len()) {
            Some((_, n)) => *n += 1,
            None => tally.push((s.data.len(), 1)),
        }
    }
    let expected = tally
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map_or(0, |(size, _)| *size);
    let typical = samples.iter().find(|s| s.data.len() == expected);
    if let Some((i, odd)) = samples
        .iter()
        .enumerate()
        .find(|(_, s)| s.data.len() != expected)
    {
        return Err(SpcInputError::UnequalSubgroups {
            row: first_rows[i],
            column: subgroup.name.clone(),
            subgroup: odd.label.clone(),
            size: odd.data.len(),
            first: typical.map(|s| s.label.clone()).unwrap_or_default(),
            expected,
        });
    }
    Ok(samples)
}
