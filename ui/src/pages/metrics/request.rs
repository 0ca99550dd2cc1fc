//! What the filter bar has chosen, and the [`MetricsRequest`] it stands for.
//!
//! Periods are whole local days in the chosen zone: "last 30 days" is today and the 29 days
//! before it, from local midnight to the next local midnight after today. Whole days keep the
//! window the same all day long (so the numbers do not move while the page is open) and make
//! it easy to repeat on the command line with `vigil metrics --since --until --tz`.

use chrono::{Days, NaiveDate, Utc};
use chrono_tz::Tz;
use vigil_core::metrics::{local_midnight, MetricsFilter, MetricsRequest, Period, Window};

/// The lengths offered as "last N days".
pub const PRESET_DAYS: [u32; 4] = [7, 30, 90, 180];

/// Which days the page covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    /// Today and the days before it, `n` in all.
    Last(u32),
    /// From one date to another, both included, as the date inputs hold them (`YYYY-MM-DD`).
    Custom {
        /// The first day.
        from: String,
        /// The last day.
        to: String,
    },
}

/// Everything the filter bar sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The days covered.
    pub span: Span,
    /// The zone days and weeks are taken in.
    pub zone: Tz,
    /// The bucket of the counts per period; `None` picks one from the span's length.
    pub bucket: Option<Period>,
    /// Service, team, urgency and source filters.
    pub filter: MetricsFilter,
}

impl Choice {
    /// The page's first view: the last 90 days (long enough for the weekly control charts) in
    /// the computer's own zone, nothing filtered.
    pub fn initial() -> Self {
        Choice {
            span: Span::Last(90),
            zone: system_zone(),
            bucket: None,
            filter: MetricsFilter::default(),
        }
    }

    /// The first and last day covered, given today's date in the zone.
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
        match &self.span {
            Span::Last(n) => {
                let back = Days::new(u64::from(n.saturating_sub(1)));
                let first = today.checked_sub_days(back).unwrap_or(NaiveDate::MIN);
                Ok((first, today))
            }
            Span::Custom { from, to } => {
                let read = |text: &str, which: &str| {
                    NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map_err(|_| format!("Choose a {which} date."))
                };
                let (first, last) = (read(from, "start")?, read(to, "end")?);
                if first > last {
                    return Err(format!(
                        "The start date ({first}) is after the end date ({last}): swap them."
                    ));
                }
                Ok((first, last))
            }
        }
    }

    /// The bucket used: the chosen one, or days up to a month, weeks up to a year, else months.
    pub fn period(&self, days: i64) -> Period {
        self.bucket.unwrap_or(match days {
            ..=31 => Period::Day,
            32..=366 => Period::Week,
            _ => Period::Month,
        })
    }

    /// The request for the app, or what to fix in the filters.
    pub fn request(&self) -> Result<MetricsRequest, String> {
        let today = Utc::now().with_timezone(&self.zone).date_naive();
        let (first, last) = self.days(today)?;
        let after = last
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX);
        let window = Window::new(
            local_midnight(first, self.zone),
            local_midnight(after, self.zone),
        );
        Ok(MetricsRequest {
            window,
            zone: self.zone,
            period: self.period((last - first).num_days() + 1),
            filter: self.filter.clone(),
        })
    }
}

/// The zone the computer is set to, as the webview reports it; UTC when it names none Vigil
/// knows.
pub fn system_zone() -> Tz {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()
        .and_then(|zone| zone.as_string())
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// The first and last local day a request covers.
pub fn covered_days(request: &MetricsRequest) -> (NaiveDate, NaiveDate) {
    let zone = request.zone;
    let first = request.window.since.with_timezone(&zone).date_naive();
    let last_instant = request.window.until - chrono::Duration::seconds(1);
    (first, last_instant.with_timezone(&zone).date_naive())
}

/// The period's length in words for the change line: "previous 30 days".
pub fn previous_words(request: &MetricsRequest) -> String {
    // Rounded to whole days: a span over a clock change is an hour short or long.
    let days = (request.window.length().num_hours() + 12)
        .div_euclid(24)
        .max(1);
    let unit = if days == 1 { "day" } else { "days" };
    format!("previous {days} {unit}")
}
