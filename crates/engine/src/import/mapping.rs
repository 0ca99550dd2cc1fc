//! Which column of a file holds which field of an incident: named in a mapping file, or
//! recognised from the header's usual names.

use std::fmt;

use serde::Deserialize;

use super::Problem;

/// A field of an incident that a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The incident's id in the system it came from: the key that makes a re-import an update.
    Id,
    /// One-line summary.
    Title,
    /// When it was opened.
    Created,
    /// When it was first acknowledged.
    Acknowledged,
    /// When it was resolved.
    Resolved,
    /// Open, acknowledged or resolved, in the file's words.
    Status,
    /// Urgency, severity or priority, in the file's words.
    Urgency,
    /// The affected service.
    Service,
    /// The owning team.
    Team,
}

impl Field {
    /// Every field, in the order problems are reported.
    pub const ALL: [Field; 9] = [
        Field::Id,
        Field::Title,
        Field::Created,
        Field::Acknowledged,
        Field::Resolved,
        Field::Status,
        Field::Urgency,
        Field::Service,
        Field::Team,
    ];

    /// Header names recognised without a mapping, compared without case, spaces, `_`, `-` or
    /// `.`; the earlier name wins when a file has two of them.
    fn usual_names(self) -> &'static [&'static str] {
        match self {
            Field::Id => &[
                "id",
                "incidentid",
                "externalid",
                "key",
                "incidentnumber",
                "number",
                "ticket",
            ],
            Field::Title => &["title", "summary", "name", "subject", "shortdescription"],
            Field::Created => &[
                "created",
                "createdat",
                "createdon",
                "opened",
                "openedat",
                "triggeredat",
                "started",
                "startedat",
                "start",
            ],
            Field::Acknowledged => &[
                "acknowledged",
                "acknowledgedat",
                "firstacknowledgedat",
                "acked",
                "ackedat",
            ],
            Field::Resolved => &[
                "resolved",
                "resolvedat",
                "resolvedon",
                "closed",
                "closedat",
                "ended",
                "endedat",
            ],
            Field::Status => &["status", "state"],
            Field::Urgency => &["urgency", "severity", "priority", "sev"],
            Field::Service => &["service", "component", "application", "app"],
            Field::Team => &["team", "ownerteam", "assignmentgroup", "group"],
        }
    }

    /// Whether a row must have it.
    pub fn required(self) -> bool {
        matches!(self, Field::Id | Field::Title | Field::Created)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Created => "created",
            Field::Acknowledged => "acknowledged",
            Field::Resolved => "resolved",
            Field::Status => "status",
            Field::Urgency => "urgency",
            Field::Service => "service",
            Field::Team => "team",
        })
    }
}

/// A mapping file: a JSON object naming the column of each field. Fields it leaves out are
/// recognised by their usual header names, as without a mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    /// The id column.
    pub id: Option<String>,
    /// The title column.
    pub title: Option<String>,
    /// The creation time column.
    pub created: Option<String>,
    /// The first acknowledgement column.
    pub acknowledged: Option<String>,
    /// The resolution time column.
    pub resolved: Option<String>,
    /// The status column.
    pub status: Option<String>,
    /// The urgency (or severity, or priority) column.
    #[serde(alias = "severity")]
    pub urgency: Option<String>,
    /// The service column.
    pub service: Option<String>,
    /// The team column.
    pub team: Option<String>,
}

impl ColumnMapping {
    /// Reads a mapping file's JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    fn named(&self, field: Field) -> Option<&str> {
        let name = match field {
            Field::Id => &self.id,
            Field::Title => &self.title,
            Field::Created => &self.created,
            Field::Acknowledged => &self.acknowledged,
            Field::Resolved => &self.resolved,
            Field::Status => &self.status,
            Field::Urgency => &self.urgency,
            Field::Service => &self.service,
            Field::Team => &self.team,
        };
        name.as_deref().map(str::trim).filter(|n| !n.is_empty())
    }
}

/// Where each field is in a file's rows: an index into its columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    found: [Option<usize>; 9],
}

impl Columns {
    /// The column of `field`, if the file has one.
    pub fn of(&self, field: Field) -> Option<usize> {
        self.found[field as usize]
    }
}

fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds every field's column in `headers`; the problems name each column the mapping gives
/// that the file lacks, and each required field no column holds.
pub fn resolve(headers: &[String], mapping: &ColumnMapping) -> Result<Columns, Vec<Problem>> {
    let mut columns = Columns::default();
    let mut problems = Vec::new();
    let squashed: Vec<String> = headers.iter().map(|h| squash(h)).collect();
    for field in Field::ALL {
        let found = match mapping.named(field) {
            Some(name) => {
                let exact = headers.iter().position(|h| h.trim() == name);
                let loose = || squashed.iter().position(|h| *h == squash(name));
                let found = exact.or_else(loose);
                if found.is_none() {
                    problems.push(Problem::column(
                        name,
                        format!(
                            "the mapping puts {field} in this column, but the file has no such \
                             column (it has: {})",
                            headers.join(", ")
                        ),
                    ));
                    continue;
                }
                found
            }
            None => field
                .usual_names()
                .iter()
                .find_map(|usual| squashed.iter().position(|h| h == usual)),
        };
        if found.is_none() && field.required() {
            problems.push(Problem::file(format!(
                "no column holds the {field}: name one in a mapping file (\"{field}\": \
                 \"<column>\") or call a column {}",
                field.usual_names().join(", ")
            )));
        }
        columns.found[field as usize] = found;
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn usual_header_names_are_recognised_in_any_case_and_spacing() {
        let h = headers(&[
            "Incident ID",
            "Summary",
            "Created At",
            "Severity",
            "Closed_At",
        ]);
        let columns = resolve(&h, &ColumnMapping::default()).unwrap();
        assert_eq!(columns.of(Field::Id), Some(0));
        assert_eq!(columns.of(Field::Title), Some(1));
        assert_eq!(columns.of(Field::Created), Some(2));
        assert_eq!(columns.of(Field::Urgency), Some(3));
        assert_eq!(columns.of(Field::Resolved), Some(4));
        assert_eq!(columns.of(Field::Team), None);
    }

    #[test]
    fn a_mapping_wins_and_a_column_it_names_must_exist() {
        let h = headers(&["Key", "Headline", "Opened", "Sev"]);
        let mapping = ColumnMapping::from_json(
            br#"{"title": "Headline", "severity": "Sev", "team": "Squad"}"#,
        )
        .unwrap();
        let problems = resolve(&h, &mapping).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].column.as_deref(), Some("Squad"));
        let mapping =
            ColumnMapping::from_json(br#"{"title": "Headline", "severity": "Sev"}"#).unwrap();
        let columns = resolve(&h, &mapping).unwrap();
        assert_eq!(columns.of(Field::Urgency), Some(3));
    }

    #[test]
    fn a_mapping_with_an_unknown_field_is_refused() {
        let err = ColumnMapping::from_json(br#"{"titel": "Summary"}"#).unwrap_err();
        assert!(err.contains("titel"), "{err}");
    }

    #[test]
    fn a_missing_required_column_is_named_with_the_names_that_work() {
        let problems = resolve(&headers(&["Summary"]), &ColumnMapping::default()).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text[0].contains("id") && text[1].contains("created"),
            "{text:?}"
        );
    }
}
