//! Rating scales as data: what each rating from 1 to 10 means, in words a team can agree on.
//! Vigil ships default scales for each FMEA kind in `assets/fmea/scales/` (written for software
//! services); an organisation replaces them with its own file, which is checked here the same
//! way the defaults are.

use serde::{Deserialize, Serialize};

use super::header::FmeaKind;
use super::rating::{Rating, RatingKind};

/// One level of a scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleLevel {
    /// The rating it defines.
    pub rating: Rating,
    /// A short name for lists and tooltips.
    pub name: String,
    /// When to choose it.
    pub criterion: String,
}

/// The ten levels of one rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingScale {
    /// Which rating it defines.
    pub rating_kind: RatingKind,
    /// Its levels, highest first as printed.
    pub levels: Vec<ScaleLevel>,
}

impl RatingScale {
    /// The level of `rating`.
    pub fn level(&self, rating: Rating) -> Option<&ScaleLevel> {
        self.levels.iter().find(|l| l.rating == rating)
    }
}

/// The scales of one FMEA kind, as one file holds them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingScales {
    /// The kind they are for.
    pub fmea_kind: FmeaKind,
    /// A note for whoever edits the file.
    #[serde(default)]
    pub note: String,
    /// One scale per rating of the kind.
    pub scales: Vec<RatingScale>,
}

/// Why a scale file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaleError {
    /// Not JSON of the expected shape (a rating of 11 lands here too).
    #[error(
        "the scale file is not valid: {0}. Compare it with Vigil's defaults in assets/fmea/scales/"
    )]
    Unreadable(String),
    /// A scale is missing, doubled or foreign to the kind.
    #[error("a {kind} FMEA is rated on {expected}; the file has {found}")]
    WrongScales {
        /// The FMEA kind.
        kind: FmeaKind,
        /// The ratings it needs.
        expected: String,
        /// The ratings the file has.
        found: String,
    },
    /// A scale does not define each rating from 1 to 10 exactly once.
    #[error("the {0} scale must define each rating from 1 to 10 exactly once")]
    IncompleteLevels(&'static str),
    /// A level without its words.
    #[error("level {rating} of the {scale} scale needs a name and a criterion")]
    EmptyLevel {
        /// The scale.
        scale: &'static str,
        /// The level.
        rating: Rating,
    },
}

impl RatingScales {
    /// Reads and checks a scale file.
    pub fn from_json(text: &str) -> Result<Self, ScaleError> {
        let scales: RatingScales =
            serde_json::from_str(text).map_err(|e| ScaleError::Unreadable(e.to_string()))?;
        scales.check()?;
        Ok(scales)
    }

    /// Vigil's default scales for `kind`, shipped in `assets/fmea/scales/`.
    pub fn defaults(kind: FmeaKind) -> Self {
        let text = match kind {
            FmeaKind::Design => include_str!("../../../../assets/fmea/scales/design.json"),
            FmeaKind::Process => include_str!("../../../../assets/fmea/scales/process.json"),
            FmeaKind::Msr => include_str!("../../../../assets/fmea/scales/msr.json"),
        };
        // The files are part of the build and a test loads each one, so a broken default fails
        // the tests rather than reaching a user.
        Self::from_json(text).expect("the default scales in assets/fmea/scales are valid")
    }

    /// The scale of `kind`, if this file has it.
    pub fn scale(&self, kind: RatingKind) -> Option<&RatingScale> {
        self.scales.iter().find(|s| s.rating_kind == kind)
    }

    fn check(&self) -> Result<(), ScaleError> {
        let mut expected = self.fmea_kind.rating_kinds().to_vec();
        let mut found: Vec<RatingKind> = self.scales.iter().map(|s| s.rating_kind).collect();
        expected.sort();
        found.sort();
        if expected != found {
            let names = |ks: &[RatingKind]| {
                ks.iter()
                    .map(|k| k.name().to_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(ScaleError::WrongScales {
                kind: self.fmea_kind,
                expected: names(&expected),
                found: names(&found),
            });
        }
        for scale in &self.scales {
            let name = scale.rating_kind.name();
            let mut ratings: Vec<Rating> = scale.levels.iter().map(|l| l.rating).collect();
            ratings.sort();
            if ratings != Rating::all().collect::<Vec<_>>() {
                return Err(ScaleError::IncompleteLevels(name));
            }
            if let Some(l) = scale
                .levels
                .iter()
                .find(|l| l.name.trim().is_empty() || l.criterion.trim().is_empty())
            {
                return Err(ScaleError::EmptyLevel {
                    scale: name,
                    rating: l.rating,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_scale_file_loads_with_ten_levels_per_rating() {
        for kind in FmeaKind::ALL {
            let scales = RatingScales::defaults(kind);
            assert_eq!(scales.fmea_kind, kind);
            for rating_kind in kind.rating_kinds() {
                let scale = scales.scale(rating_kind).unwrap();
                assert_eq!(scale.levels.len(), 10, "{kind} {rating_kind:?}");
            }
        }
    }

    #[test]
    fn a_scale_with_a_rating_of_eleven_is_refused() {
        let text = include_str!("../../../../assets/fmea/scales/design.json").replacen(
            "\"rating\": 10",
            "\"rating\": 11",
            1,
        );
        assert!(matches!(
            RatingScales::from_json(&text),
            Err(ScaleError::Unreadable(_))
        ));
    }

    #[test]
    fn a_scale_missing_a_level_is_refused() {
        let mut scales = RatingScales::defaults(FmeaKind::Process);
        scales.scales[1].levels.pop();
        let text = serde_json::to_string(&scales).unwrap();
        let err = RatingScales::from_json(&text).unwrap_err();
        assert_eq!(err, ScaleError::IncompleteLevels("Occurrence"));
    }

    #[test]
    fn an_msr_file_with_a_detection_scale_is_refused() {
        let mut scales = RatingScales::defaults(FmeaKind::Msr);
        scales.scales[2].rating_kind = RatingKind::Detection;
        let text = serde_json::to_string(&scales).unwrap();
        let err = RatingScales::from_json(&text).unwrap_err().to_string();
        assert!(err.contains("severity, frequency, monitoring"), "{err}");
    }
}
