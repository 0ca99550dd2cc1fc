//! One row checked and turned into an incident, every problem of it named.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use vigil_core::{IncidentStatus, Urgency};

use super::mapping::{Columns, Field};
use super::table::{Row, Table};
use super::Problem;
use crate::connectors::api::is_urgent_word;
use crate::store::IncomingIncident;

/// Checks every row; the incidents when all of them are sound, else every problem found.
pub fn incidents(
    table: &Table,
    columns: &Columns,
    problems: &mut Vec<Problem>,
) -> Vec<IncomingIncident> {
    let mut first_row_of: HashMap<&str, usize> = HashMap::new();
    let mut incidents = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let reader = RowReader {
            table,
            columns,
            row,
        };
        let before = problems.len();
        let incident = reader.incident(problems);
        if let Some(id) = reader.text(Field::Id) {
            if let Some(first) = first_row_of.insert(id, row.number) {
                problems.push(reader.problem(
                    Field::Id,
                    format!("the id `{id}` is already used by row {first}"),
                ));
            }
        }
        if problems.len() == before {
            incidents.extend(incident);
        }
    }
    incidents
}

/// One row with the file's columns.
struct RowReader<'a> {
    table: &'a Table,
    columns: &'a Columns,
    row: &'a Row,
}

impl<'a> RowReader<'a> {
    fn text(&self, field: Field) -> Option<&'a str> {
        let column = self.columns.of(field)?;
        self.row.cells.get(column)?.as_deref()
    }

    fn problem(&self, field: Field, message: String) -> Problem {
        let column = self
            .columns
            .of(field)
            .and_then(|c| self.table.headers.get(c))
            .map_or_else(|| field.to_string(), Clone::clone);
        Problem::at(self.row.number, &column, message)
    }

    fn required(&self, field: Field, problems: &mut Vec<Problem>) -> Option<&'a str> {
        let text = self.text(field);
        if text.is_none() {
            problems.push(self.problem(field, format!("the {field} is missing")));
        }
        text
    }

    fn instant(&self, field: Field, problems: &mut Vec<Problem>) -> Option<DateTime<Utc>> {
        let text = self.text(field)?;
        match parse_instant(text) {
            Some(at) => Some(at),
            None => {
                problems.push(self.problem(
                    field,
                    format!(
                        "`{text}` is not a date: write ISO 8601, such as 2026-06-01T09:30:00Z \
                         or 2026-06-01 09:30 (UTC unless an offset is given)"
                    ),
                ));
                None
            }
        }
    }

    /// The incident, or `None` with the reasons in `problems`.
    fn incident(&self, problems: &mut Vec<Problem>) -> Option<IncomingIncident> {
        let id = self.required(Field::Id, problems);
        let title = self.required(Field::Title, problems);
        self.required(Field::Created, problems);
        let created = self.instant(Field::Created, problems);
        let acknowledged = self.instant(Field::Acknowledged, problems);
        let resolved = self.instant(Field::Resolved, problems);
        if let Some(created) = created {
            for (field, at) in [
                (Field::Acknowledged, acknowledged),
                (Field::Resolved, resolved),
            ] {
                if at.is_some_and(|at| at < created) {
                    problems.push(self.problem(field, format!("is before the {}", Field::Created)));
                }
            }
        }
        let status = self.status(resolved, acknowledged, problems)?;
        let urgency_raw = self.text(Field::Urgency).map(str::to_owned);
        // A row without an urgency counts as high: it was recorded because someone responded.
        let urgency = match urgency_raw.as_deref() {
            Some(word) if !is_urgent_word(word) => Urgency::Low,
            _ => Urgency::High,
        };
        let raw: serde_json::Map<String, serde_json::Value> = self
            .table
            .headers
            .iter()
            .zip(&self.row.cells)
            .map(|(h, c)| {
                (
                    h.clone(),
                    c.clone().map_or(serde_json::Value::Null, Into::into),
                )
            })
            .collect();
        let (id, title, created) = (id?, title?, created?);
        Some(IncomingIncident {
            external_id: id.to_owned(),
            number: id.parse().ok(),
            title: title.to_owned(),
            service: self.text(Field::Service).map(str::to_owned),
            team: self.text(Field::Team).map(str::to_owned),
            urgency,
            urgency_raw,
            status,
            created_at: created,
            acknowledged_at: acknowledged,
            mitigated_at: None,
            resolved_at: resolved.filter(|_| status == IncidentStatus::Resolved),
            impact_started_at: None,
            impact_ended_at: None,
            merged_into: None,
            url: None,
            raw: Some(serde_json::Value::Object(raw).to_string()),
        })
    }

    /// The stated status, which must agree with the resolution time; without a status column,
    /// the times say it.
    fn status(
        &self,
        resolved: Option<DateTime<Utc>>,
        acknowledged: Option<DateTime<Utc>>,
        problems: &mut Vec<Problem>,
    ) -> Option<IncidentStatus> {
        let Some(text) = self.text(Field::Status) else {
            return Some(match (resolved, acknowledged) {
                (Some(_), _) => IncidentStatus::Resolved,
                (None, Some(_)) => IncidentStatus::Acknowledged,
                (None, None) => IncidentStatus::Triggered,
            });
        };
        let status = match text.to_ascii_lowercase().replace(['_', '-'], " ").trim() {
            "triggered" | "open" | "new" | "firing" | "active" => IncidentStatus::Triggered,
            "acknowledged" | "acked" | "in progress" | "investigating" | "identified"
            | "monitoring" | "mitigated" => IncidentStatus::Acknowledged,
            "resolved" | "closed" | "done" | "fixed" | "completed" => IncidentStatus::Resolved,
            _ => {
                problems.push(self.problem(
                    Field::Status,
                    format!(
                        "`{text}` is not a status Vigil knows: use open, acknowledged or resolved"
                    ),
                ));
                return None;
            }
        };
        let column = |f: Field| {
            self.columns
                .of(f)
                .and_then(|c| self.table.headers.get(c))
                .map_or_else(|| f.to_string(), Clone::clone)
        };
        if status == IncidentStatus::Resolved && resolved.is_none() {
            let message = format!(
                "says resolved, but `{}` gives no time",
                column(Field::Resolved)
            );
            problems.push(self.problem(Field::Status, message));
        } else if status != IncidentStatus::Resolved && resolved.is_some() {
            let message = format!(
                "says `{text}`, but `{}` gives a time",
                column(Field::Resolved)
            );
            problems.push(self.problem(Field::Status, message));
        }
        Some(status)
    }
}

/// An ISO 8601 date or date-time (UTC unless it has an offset), or `2026-06-01 09:30` as
/// spreadsheets write it.
fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    vigil_core::time::parse_instant(text).ok().or_else(|| {
        NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
            .ok()
            .map(|naive| naive.and_utc())
    })
}
