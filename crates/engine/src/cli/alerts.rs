//! `vigil alerts list` and `vigil alerts rules`: the inbox and the rules, as tables or JSON.

use std::io::Write;

use clap::Subcommand;
use vigil_core::alerting::{AlertFilter, AlertRule};

use crate::store::{InboxQuery, Store};

/// `vigil alerts ...`
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Lists the alert inbox, newest first: every alert, shown or suppressed.
    List {
        /// Only alerts not read yet.
        #[arg(long)]
        unread: bool,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Lists the alert rules, in the order they are applied.
    Rules {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `vigil alerts ...`.
pub fn run(store: &Store, command: &AlertsCommand) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        AlertsCommand::List { unread, json } => {
            let query = InboxQuery {
                unread_only: *unread,
                limit: None,
            };
            let entries = store.alert_inbox(&query)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &entries)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(
                out,
                "{:<17} {:<6} {:<9} {:<17} ALERT",
                "AT (UTC)", "READ", "DELIVERY", "REASON"
            )?;
            for e in &entries {
                writeln!(
                    out,
                    "{:<17} {:<6} {:<9} {:<17} {}: {} ({})",
                    e.at.format("%Y-%m-%d %H:%M"),
                    if e.is_unread() { "unread" } else { "read" },
                    e.delivery,
                    e.reason.as_deref().unwrap_or("-"),
                    e.summary,
                    e.body,
                    e.rule_name
                )?;
            }
            let unread = entries.iter().filter(|e| e.is_unread()).count();
            writeln!(out, "{} alerts, {unread} unread", entries.len())?;
        }
        AlertsCommand::Rules { json } => {
            let rules = store.alert_rules()?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &rules)?;
                writeln!(out)?;
                return Ok(());
            }
            writeln!(
                out,
                "{:<8} {:<15} {:<8} {:<8} {:<44} FILTER",
                "ENABLED", "KIND", "MINUTES", "BREAKS", "NAME"
            )?;
            for rule in &rules {
                write_rule(&mut out, rule)?;
            }
            writeln!(out, "{} rules", rules.len())?;
        }
    }
    Ok(())
}

fn write_rule(out: &mut impl Write, rule: &AlertRule) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<8} {:<15} {:<8} {:<8} {:<44} {}",
        if rule.enabled { "yes" } else { "no" },
        rule.kind.as_str(),
        rule.kind.minutes().map_or("-".into(), |m| m.to_string()),
        if rule.breaks_through_quiet {
            "quiet"
        } else {
            "-"
        },
        rule.name,
        describe_filter(&rule.filter)
    )
}

/// A filter in words: "urgency high; service payments, search"; "any" when it filters nothing.
fn describe_filter(f: &AlertFilter) -> String {
    let mut parts = Vec::new();
    let mut add = |label: &str, values: Vec<String>| {
        if !values.is_empty() {
            parts.push(format!("{label} {}", values.join(", ")));
        }
    };
    add("source", f.sources.iter().map(|s| s.to_string()).collect());
    add("service", f.services.clone());
    add("team", f.teams.clone());
    add(
        "urgency",
        f.urgencies.iter().map(|u| u.as_str().to_owned()).collect(),
    );
    add("severity", f.severities.clone());
    if parts.is_empty() {
        "any".into()
    } else {
        parts.join("; ")
    }
}
