//! From a table to a [`Report`]: read the samples the chart needs, split them by phase, compute
//! the limits from phase I with `vigil_core::spc`, chart both phases against them, evaluate the
//! rules and, for variables charts with a specification, study the capability of phase I.
//!
//! Capability is computed from the baseline only: it describes the process the limits describe,
//! and a study that mixed in phase II data after a shift would describe neither.

use anyhow::Context;
use vigil_core::spc::{
    capability, individuals_capability, Capability, ControlChart, ControlLimits, Rule, SpecLimits,
    WithinSigma,
};

use super::columns::{self, split, Column, Phased};
use super::error::SpcInputError;
use super::report::{ChartReport, PhaseCharts};
use super::table::Table;
use super::ChartArg;

/// What to compute, with the columns already found in the header.
#[derive(Debug)]
pub struct Request<'a> {
    /// The chart.
    pub chart: ChartArg,
    /// The rules for the location chart.
    pub rules: &'a [Rule],
    /// The specification, when capability is wanted.
    pub spec: Option<SpecLimits>,
    /// The measured value, count or defects.
    pub value: Column,
    /// The subgroup key (Xbar charts).
    pub subgroup: Option<Column>,
    /// The sample size or units (p, np, u charts).
    pub size: Option<Column>,
    /// The phase I flag.
    pub phase: Option<Column>,
}

/// The computed part of a report.
#[derive(Debug)]
pub struct Analysis {
    /// The frozen limits.
    pub limits: ControlLimits,
    /// Location chart, then spread chart if any.
    pub charts: Vec<ChartReport>,
    /// The capability study, when a specification was given.
    pub capability: Option<Capability>,
    /// Phase I samples.
    pub baseline_samples: usize,
    /// Phase II samples.
    pub later_samples: usize,
}

const LIMITS: &str = "cannot compute limits from the phase I samples";

/// Runs the request over `table`.
pub fn analyse(table: &Table, request: &Request<'_>) -> anyhow::Result<Analysis> {
    let phase = request.phase.as_ref();
    let value = &request.value;
    match request.chart {
        ChartArg::XbarR | ChartArg::XbarS => {
            let subgroup = request
                .subgroup
                .as_ref()
                .context("an Xbar chart needs --subgroup")?;
            let phased = split(columns::subgroups(table, value, subgroup, phase)?, phase)?;
            let (limits, method) = if request.chart == ChartArg::XbarR {
                (ControlLimits::xbar_r(&phased.baseline), WithinSigma::Range)
            } else {
                (ControlLimits::xbar_s(&phased.baseline), WithinSigma::StdDev)
            };
            let limits = limits.context(LIMITS)?;
            let baseline = limits.chart_subgroups(&phased.baseline)?;
            let later = limits.chart_subgroups(&phased.later)?;
            let study = request
                .spec
                .map(|spec| capability(&phased.baseline, spec, method))
                .transpose()?;
            Ok(pair(request, limits, &phased, baseline, later, study))
        }
        ChartArg::Imr => {
            let samples = columns::per_row(table, phase, |row| value.number(row))?;
            let phased = split(samples, phase)?;
            let limits = ControlLimits::individuals(&phased.baseline).context(LIMITS)?;
            let baseline = limits.chart_individuals(&phased.baseline)?;
            let later = limits.chart_individuals(&phased.later)?;
            let study = request
                .spec
                .map(|spec| individuals_capability(&phased.baseline, spec))
                .transpose()?;
            Ok(pair(request, limits, &phased, baseline, later, study))
        }
        ChartArg::P | ChartArg::Np => {
            let size = request.size.as_ref().context("a p chart needs --size")?;
            let samples = columns::per_row(table, phase, |row| columns::lot(row, value, size))?;
            if request.chart == ChartArg::Np {
                check_constant_size(table, &samples, size)?;
            }
            let phased = split(samples, phase)?;
            let limits = if request.chart == ChartArg::P {
                ControlLimits::p(&phased.baseline)
            } else {
                ControlLimits::np(&phased.baseline)
            }
            .context(LIMITS)?;
            let baseline = limits.chart_lots(&phased.baseline)?;
            let later = limits.chart_lots(&phased.later)?;
            Ok(single(request, limits, &phased, &baseline, &later))
        }
        ChartArg::C => {
            let samples = columns::per_row(table, phase, |row| columns::defect_count(row, value))?;
            let phased = split(samples, phase)?;
            let limits = ControlLimits::c(&phased.baseline).context(LIMITS)?;
            let baseline = limits.chart_counts(&phased.baseline)?;
            let later = limits.chart_counts(&phased.later)?;
            Ok(single(request, limits, &phased, &baseline, &later))
        }
        ChartArg::U => {
            let size = request.size.as_ref().context("a u chart needs --size")?;
            let samples = columns::per_row(table, phase, |row| columns::defects(row, value, size))?;
            let phased = split(samples, phase)?;
            let limits = ControlLimits::u(&phased.baseline).context(LIMITS)?;
            let baseline = limits.chart_defects(&phased.baseline)?;
            let later = limits.chart_defects(&phased.later)?;
            Ok(single(request, limits, &phased, &baseline, &later))
        }
    }
}

/// A variables chart: the location chart gets the rule set, the spread chart only the limits.
fn pair<T>(
    request: &Request<'_>,
    limits: ControlLimits,
    phased: &Phased<T>,
    baseline: vigil_core::spc::ChartPair,
    later: vigil_core::spc::ChartPair,
    capability: Option<Capability>,
) -> Analysis {
    let halves = |base: &ControlChart, new: &ControlChart, rules: &[Rule]| {
        ChartReport::new(phase_charts(phased, base, new), rules)
    };
    Analysis {
        limits,
        charts: vec![
            halves(&baseline.location, &later.location, request.rules),
            halves(&baseline.spread, &later.spread, &[Rule::BeyondLimits]),
        ],
        capability,
        baseline_samples: phased.baseline.len(),
        later_samples: phased.later.len(),
    }
}

/// An attributes chart: one chart, the rule set on it.
fn single<T>(
    request: &Request<'_>,
    limits: ControlLimits,
    phased: &Phased<T>,
    baseline: &ControlChart,
    later: &ControlChart,
) -> Analysis {
    Analysis {
        limits,
        charts: vec![ChartReport::new(
            phase_charts(phased, baseline, later),
            request.rules,
        )],
        capability: None,
        baseline_samples: phased.baseline.len(),
        later_samples: phased.later.len(),
    }
}

fn phase_charts<'a, T>(
    phased: &'a Phased<T>,
    baseline: &'a ControlChart,
    later: &'a ControlChart,
) -> PhaseCharts<'a> {
    PhaseCharts {
        baseline,
        baseline_labels: &phased.baseline_labels,
        later,
        later_labels: &phased.later_labels,
    }
}

/// An np chart's limits hold for one sample size; say which row breaks it, in either phase.
fn check_constant_size(
    table: &Table,
    samples: &[columns::Sample<vigil_core::spc::InspectionLot>],
    size: &Column,
) -> Result<(), SpcInputError> {
    let Some(first) = samples.first().map(|s| s.data.inspected) else {
        return Ok(());
    };
    match samples.iter().position(|s| s.data.inspected != first) {
        Some(i) => Err(SpcInputError::ImpossibleCount {
            row: table.rows[i].number,
            column: size.name.clone(),
            problem: format!(
                "the sample size {} differs from the first sample's {first}; an np chart needs \
                 one sample size, so use --chart p",
                samples[i].data.inspected
            ),
        }),
        None => Ok(()),
    }
}
