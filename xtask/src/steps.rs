//! Named, timed steps, so a long command says what it is doing and where the time went.

use std::time::{Duration, Instant};

use anyhow::Result;

/// The steps a command has run so far, with how long each took.
#[derive(Debug, Default)]
pub struct Steps {
    done: Vec<(String, Duration, bool)>,
}

impl Steps {
    /// Prints `==> title`, runs the step and records its time, whether it succeeded or not.
    pub fn run<T>(&mut self, title: &str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        println!("\n==> {title}");
        let started = Instant::now();
        let outcome = step();
        self.done
            .push((title.to_owned(), started.elapsed(), outcome.is_ok()));
        outcome
    }

    /// Prints each step's time; called at the end of a command, also when a step failed.
    pub fn print_timings(&self) {
        println!("\nsteps:");
        for (title, took, ok) in &self.done {
            let mark = if *ok { "ok    " } else { "FAILED" };
            println!("  {mark} {:>8}  {title}", format_duration(*took));
        }
    }
}

/// `1m 05s` or `4.2s`: precise enough to compare runs, short enough to scan.
pub fn format_duration(took: Duration) -> String {
    let secs = took.as_secs();
    if secs >= 60 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", took.as_secs_f64())
    }
}
