//! The Rust side of `cargo xtask bench spc`: Xbar-R over subgroups of five, I-MR, and all eight
//! Nelson rules on the I chart, over the measurements in a file of little-endian `f64`s.
//!
//! Usage: `spc_bench FILE [REPETITIONS]`. Each computation runs once to warm up and then
//! REPETITIONS times (default 5); the median is printed, in the line format the xtask parses
//! (`name value`), with how many points each rule flagged so the xtask can check that the numpy
//! version flags the same ones. Reading the file is not timed: the comparison is of arithmetic,
//! and `xtask/bench/spc.py` times the same three steps.
#![allow(
    clippy::print_stdout,
    reason = "printing the figures is this program's job"
)]

use std::hint::black_box;
use std::time::Instant;

use vigil_core::spc::{evaluate_rules, individuals_chart, xbar_r_chart, ChartPair, Rule};

/// Values per Xbar-R subgroup.
const SUBGROUP_SIZE: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: spc_bench FILE [REPETITIONS]")?;
    let repetitions: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let bytes = std::fs::read(&path)?;
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();

    let xbar_r = median_ms(repetitions, || {
        let subgroups: Vec<&[f64]> = values.chunks_exact(SUBGROUP_SIZE).collect();
        xbar_r_chart(&subgroups).map(|chart| chart.location.points.len())
    })?;
    let imr = median_ms(repetitions, || {
        individuals_chart(&values).map(|chart| chart.location.points.len())
    })?;
    let chart: ChartPair = individuals_chart(&values)?;
    let nelson = median_ms(repetitions, || {
        Ok::<_, std::convert::Infallible>(evaluate_rules(&chart.location, &Rule::NELSON))
    })?;

    println!("values {}", values.len());
    println!("xbar_r_ms {xbar_r:.3}");
    println!("imr_ms {imr:.3}");
    println!("nelson_ms {nelson:.3}");
    println!("total_ms {:.3}", xbar_r + imr + nelson);
    let report = evaluate_rules(&chart.location, &Rule::NELSON);
    for rule in Rule::NELSON {
        let flagged = report
            .violations
            .iter()
            .find(|v| v.rule == rule)
            .map_or(0, |v| v.points.len());
        let name = serde_json::to_value(rule)?;
        println!("flagged {} {flagged}", name.as_str().unwrap_or("?"));
    }
    Ok(())
}

/// Runs `work` once to warm up, then `repetitions` times, and returns the median in ms.
fn median_ms<T, E>(repetitions: usize, mut work: impl FnMut() -> Result<T, E>) -> Result<f64, E> {
    black_box(work()?);
    let mut times = Vec::with_capacity(repetitions);
    for _ in 0..repetitions.max(1) {
        let started = Instant::now();
        black_box(work()?);
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}
