//! Adds up the `test result:` lines of every `cargo test` run into one closing line.
//!
//! A workspace run prints one such line per test binary (and per doc-test run); a person, and CI,
//! want the total: `N passed, N failed`.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::util::describe;

/// Test counts summed over every `test result:` line seen.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
    /// How many `test result:` lines were read; zero means no test binary reported.
    pub reports: u64,
}

impl Tally {
    /// Adds the counts of one line of cargo test's output, if it is a `test result:` line.
    pub fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result:") else {
            return;
        };
        self.reports += 1;
        // " ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(count)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match label {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }

    /// The closing line: `N passed, N failed`, with `, N skipped` when tests were ignored.
    pub fn summary(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.passed, self.failed);
        if self.ignored > 0 {
            line.push_str(&format!(", {} skipped", self.ignored));
        }
        line
    }
}

/// Runs `command`, echoing its standard output line by line while counting its test results;
/// fails when it exits with an error.
pub fn run_counting(command: &mut Command, tally: &mut Tally) -> Result<()> {
    let line = describe(command);
    println!("$ {line}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let stdout = child
        .stdout
        .take()
        .context("the child's stdout was not piped")?;

    let mut reader = BufReader::new(stdout);
    let mut buffer = Vec::new();
    let mut out = std::io::stdout();
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        out.write_all(&buffer)?;
        out.flush()?;
        tally.add_line(&String::from_utf8_lossy(&buffer));
    }

    let status = child.wait()?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_of_several_binaries_add_up() {
        let mut tally = Tally::default();
        tally.add_line("test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        tally.add_line("running 2 tests");
        tally.add_line("test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.20s");

        assert_eq!(tally.passed, 4);
        assert_eq!(tally.failed, 2);
        assert_eq!(tally.ignored, 1);
        assert_eq!(tally.reports, 2);
        assert_eq!(tally.summary(), "4 passed, 2 failed, 1 skipped");
    }

    #[test]
    fn a_test_named_like_a_result_line_is_not_counted() {
        let mut tally = Tally::default();
        tally.add_line("test parses_test_result_lines ... ok");

        assert_eq!(tally, Tally::default());
    }
}
