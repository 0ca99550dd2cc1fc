//! `vigil fmea`: action priority at the command line, and FMEAs in and out of the database
//! (new from a template, list, show, import, export, merge a workshop's bundle).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use vigil_core::fmea::{rpn, ActionPriority, FmeaId, FmeaKind, Picks, Rating, Side, WHOLE_PART};

use crate::fmea::{FmeaError, Format};
use crate::store::Store;

/// `vigil fmea ...`
#[derive(Debug, Subcommand)]
pub enum FmeaCommand {
    /// Prints the action priority (AIAG-VDA) and the RPN of a severity, occurrence and detection.
    Ap {
        /// Severity, 1-10.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=10))]
        severity: u8,
        /// Occurrence (frequency in an MSR FMEA), 1-10.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=10))]
        occurrence: u8,
        /// Detection (monitoring in an MSR FMEA), 1-10.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=10))]
        detection: u8,
    },
    /// Creates an FMEA and prints its id.
    New(NewArgs),
    /// Lists the FMEAs with their counts of high, medium and low priority chains.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Prints one FMEA, whole, as JSON.
    Show {
        /// The FMEA's id.
        id: FmeaId,
    },
    /// Imports an xlsx, CSV or bundle file as a new FMEA and prints its id; nothing is imported
    /// when any row has a problem, and every problem is listed.
    Import {
        /// The file (.xlsx, .csv, or .json for a bundle).
        file: PathBuf,
    },
    /// Writes an FMEA to a file.
    Export(ExportArgs),
    /// Merges a bundle edited elsewhere back into its FMEA, field by field.
    Merge {
        /// The bundle.
        file: PathBuf,
        /// The side every conflict takes; without it a merge with conflicts lists them and
        /// changes nothing.
        #[arg(long, value_enum)]
        prefer: Option<PreferArg>,
    },
}

/// `vigil fmea new ...`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The FMEA's name.
    #[arg(long)]
    pub name: String,
    /// Start from a built-in template (software-service).
    #[arg(long)]
    pub template: Option<String>,
    /// The kind of a blank FMEA (a template has its own).
    #[arg(long, value_enum, default_value_t = KindArg::Design)]
    pub kind: KindArg,
}

/// `--kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Design FMEA.
    Design,
    /// Process FMEA.
    Process,
    /// FMEA for monitoring and system response.
    Msr,
}

/// `vigil fmea export ...`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The FMEA's id.
    pub id: FmeaId,
    /// The file format.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// xlsx in the AIAG-VDA form layout.
    Xlsx,
    /// CSV with the worksheet's columns.
    Csv,
    /// JSON bundle with ids, for offline workshops.
    Bundle,
    /// HTML report (not available yet).
    Html,
    /// PDF report (not available yet).
    Pdf,
}

/// `--prefer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    /// Keep the database's values.
    Ours,
    /// Take the bundle's values.
    Theirs,
}

impl FmeaCommand {
    /// A request the parser accepts but Vigil cannot do, in words (exit 2).
    pub fn usage_problem(&self) -> Option<String> {
        match self {
            FmeaCommand::Export(ExportArgs {
                format: FormatArg::Html | FormatArg::Pdf,
                ..
            }) => Some(
                "HTML and PDF reports of an FMEA are not available yet (they come with the \
                 shared reports module); export --format xlsx, csv or bundle instead"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// Runs `vigil fmea ...`. `ap` needs no database, so the store is opened only when asked for.
pub fn run(
    command: &FmeaCommand,
    open: impl FnOnce() -> anyhow::Result<Store>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        FmeaCommand::Ap {
            severity,
            occurrence,
            detection,
        } => {
            let r = |n: &u8| Rating::new(i64::from(*n));
            let (s, o, d) = (r(severity)?, r(occurrence)?, r(detection)?);
            let ap = ActionPriority::of(s, o, d);
            writeln!(
                out,
                "AP {} ({})  RPN {}",
                ap.letter(),
                ap.word(),
                rpn(s, o, d)
            )?;
        }
        FmeaCommand::New(args) => {
            let mut store = open()?;
            let kind = match args.kind {
                KindArg::Design => FmeaKind::Design,
                KindArg::Process => FmeaKind::Process,
                KindArg::Msr => FmeaKind::Msr,
            };
            let who = store.audit_name();
            let id = store.new_fmea(args.template.as_deref(), kind, &args.name, &who)?;
            writeln!(out, "{id}")?;
        }
        FmeaCommand::List { json } => {
            let list = open()?.list_fmeas()?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<36}  {:<7}  {:>6} {:>4} {:>4} {:>4} {:>7} {:>7}  name",
                    "id", "kind", "chains", "H", "M", "L", "unrated", "actions"
                )?;
                for f in list {
                    writeln!(
                        out,
                        "{:<36}  {:<7}  {:>6} {:>4} {:>4} {:>4} {:>7} {:>7}  {}",
                        f.id,
                        f.kind.as_str(),
                        f.chains,
                        f.high,
                        f.medium,
                        f.low,
                        f.unrated,
                        f.pending_actions,
                        f.name
                    )?;
                }
            }
        }
        FmeaCommand::Show { id } => {
            let fmea = open()?.load_fmea(*id)?;
            serde_json::to_writer_pretty(&mut out, &fmea)?;
            writeln!(out)?;
        }
        FmeaCommand::Import { file } => {
            let mut store = open()?;
            let bytes = read(file)?;
            let who = store.audit_name();
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("the file");
            match store.import_fmea(&bytes, name, Format::of_file(file, &bytes), &who) {
                Ok(id) => writeln!(out, "{id}")?,
                Err(FmeaError::Import(report)) => {
                    for problem in &report.problems {
                        eprintln!("{name}: {problem}");
                    }
                    bail!("{} problem(s) in {name}; nothing was imported. Fix them and import the file again", report.problems.len());
                }
                Err(e) => return Err(e.into()),
            }
        }
        FmeaCommand::Export(args) => {
            let format = match args.format {
                FormatArg::Xlsx => Format::Xlsx,
                FormatArg::Csv => Format::Csv,
                FormatArg::Bundle => Format::Bundle,
                // Refused by `usage_problem` before the command runs.
                FormatArg::Html | FormatArg::Pdf => {
                    bail!("HTML and PDF reports are not available yet")
                }
            };
            let bytes = open()?.export_fmea(args.id, format)?;
            std::fs::write(&args.out, bytes)
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            writeln!(out, "{}", args.out.display())?;
        }
        FmeaCommand::Merge { file, prefer } => {
            let mut store = open()?;
            let bytes = read(file)?;
            let who = store.audit_name();
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("the bundle");
            let prefer = prefer.map(|p| {
                if p == PreferArg::Ours {
                    Side::Ours
                } else {
                    Side::Theirs
                }
            });
            match store.merge_bundle(&bytes, name, &Picks::new(), prefer, &who) {
                Ok(outcome) => writeln!(out, "merged {name}: {} conflict(s) resolved, {} part(s) dropped with their removed owner", outcome.conflicts.len(), outcome.dropped.len())?,
                Err(FmeaError::UnresolvedConflicts(n)) => {
                    for c in store.preview_bundle_merge(&bytes, name)?.conflicts {
                        let show = |v: &Option<serde_json::Value>| v.as_ref().map_or_else(|| "(removed)".to_owned(), |v| v.to_string());
                        let field = if c.field == WHOLE_PART { "the whole part".to_owned() } else { c.field.clone() };
                        eprintln!("conflict: {} {}: ours {} / theirs {}", c.target, field, show(&c.ours), show(&c.theirs));
                    }
                    bail!("{n} conflict(s) in {name}; nothing was merged. Run again with --prefer ours or --prefer theirs");
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(())
}

fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}
