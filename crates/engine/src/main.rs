//! `vigil`: the command-line face of the engine, for scripts, checks and machines without a
//! display. Exit codes: 0 success, 1 failure (one-line reason on stderr), 2 bad usage.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use vigil_engine::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; clap says which and prints them.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if let Some(problem) = cli.usage_problem() {
        let _ = Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, problem)
            .print();
        return ExitCode::from(2);
    }
    let _logs = vigil_engine::logging::init(&vigil_engine::paths::log_dir(), "warn");
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let reason = format!("{e:#}").replace('\n', " ");
            eprintln!("vigil: {reason}");
            ExitCode::from(1)
        }
    }
}
