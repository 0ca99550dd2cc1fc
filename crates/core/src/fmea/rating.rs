//! Ratings: the 1-10 numbers a team gives to severity, occurrence and detection (for monitoring
//! and system response FMEAs, frequency and monitoring). A rating outside 1-10 is refused when it
//! is made, so every calculation downstream can trust the number.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A validated rating from 1 (best) to 10 (worst).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Rating(u8);

/// Why a value is not a rating.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    /// A number outside the scale.
    #[error("{0} is not a rating: ratings run from 1 to 10")]
    OutOfRange(i64),
    /// Text that is not a whole number.
    #[error("`{0}` is not a rating: write a whole number from 1 to 10")]
    NotANumber(String),
}

impl Rating {
    /// The lowest rating (no risk worth rating).
    pub const MIN: Rating = Rating(1);
    /// The highest rating.
    pub const MAX: Rating = Rating(10);

    /// A rating, if `value` is on the 1-10 scale.
    pub fn new(value: i64) -> Result<Self, RatingError> {
        match u8::try_from(value) {
            Ok(v @ 1..=10) => Ok(Rating(v)),
            _ => Err(RatingError::OutOfRange(value)),
        }
    }

    /// The number, for arithmetic (RPN) and display.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Every rating from 1 to 10, for exhaustive tables and scale checks.
    pub fn all() -> impl Iterator<Item = Rating> {
        (1..=10).map(Rating)
    }
}

impl TryFrom<i64> for Rating {
    type Error = RatingError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Rating::new(value)
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.0
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Rating {
    type Err = RatingError;

    /// Accepts `7` and `7.0` (spreadsheets store whole numbers as floats); refuses `7.5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        if let Ok(n) = text.parse::<i64>() {
            return Rating::new(n);
        }
        match text.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 1e9 => Rating::new(f as i64),
            _ => Err(RatingError::NotANumber(text.to_owned())),
        }
    }
}

/// Which scale a rating is read against. Design and process FMEAs rate severity, occurrence and
/// detection; an MSR FMEA (monitoring and system response) rates severity, frequency and
/// monitoring, in the same three places of a chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RatingKind {
    /// How bad the failure effect is.
    Severity,
    /// How likely the cause is, given the prevention controls.
    Occurrence,
    /// How likely the detection controls catch the cause or mode before it reaches the user.
    Detection,
    /// MSR: how often the cause happens in the field.
    Frequency,
    /// MSR: how well the system notices the fault and responds to it.
    Monitoring,
}

impl RatingKind {
    /// The name shown in column headings and reports.
    pub fn name(self) -> &'static str {
        match self {
            RatingKind::Severity => "Severity",
            RatingKind::Occurrence => "Occurrence",
            RatingKind::Detection => "Detection",
            RatingKind::Frequency => "Frequency",
            RatingKind::Monitoring => "Monitoring",
        }
    }

    /// The one-letter abbreviation of the worksheet columns (S, O, D, F, M).
    pub fn letter(self) -> char {
        match self {
            RatingKind::Severity => 'S',
            RatingKind::Occurrence => 'O',
            RatingKind::Detection => 'D',
            RatingKind::Frequency => 'F',
            RatingKind::Monitoring => 'M',
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_outside_one_to_ten_are_refused() {
        assert!(Rating::new(0).is_err());
        assert!(Rating::new(11).is_err());
        assert!(Rating::new(-3).is_err());
        assert_eq!(Rating::new(10).map(Rating::get), Ok(10));
    }

    #[test]
    fn spreadsheet_numbers_parse_but_fractions_do_not() {
        assert_eq!("7".parse::<Rating>().map(Rating::get), Ok(7));
        assert_eq!(" 7.0 ".parse::<Rating>().map(Rating::get), Ok(7));
        assert!(matches!(
            "7.5".parse::<Rating>(),
            Err(RatingError::NotANumber(_))
        ));
        assert!(matches!(
            "11".parse::<Rating>(),
            Err(RatingError::OutOfRange(11))
        ));
        assert!(matches!(
            "high".parse::<Rating>(),
            Err(RatingError::NotANumber(_))
        ));
    }

    #[test]
    fn json_with_a_rating_of_eleven_does_not_deserialize() {
        assert!(serde_json::from_str::<Rating>("11").is_err());
        assert_eq!(
            serde_json::from_str::<Rating>("4").map(Rating::get).ok(),
            Some(4)
        );
        assert_eq!(
            serde_json::to_string(&Rating::MAX).ok().as_deref(),
            Some("10")
        );
    }
}
