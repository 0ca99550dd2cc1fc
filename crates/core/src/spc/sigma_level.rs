//! Defects per million opportunities and the sigma level they correspond to.
//!
//! The sigma level is the distance, in standard deviations, from the process mean to the
//! nearest specification limit that would give the observed defect rate in one tail. By the
//! Six Sigma convention it is quoted short-term, with long-term drift assumed to move the mean
//! by 1.5 sigma: that is why six sigma means 3.4 DPMO and not 0.001. Both readings are offered,
//! since people quote both and a number without its convention is misread.

use serde::{Deserialize, Serialize};

use crate::spc::error::SpcError;
use crate::spc::normal::{normal_quantile, normal_sf};

/// How many parts per million a DPMO counts in.
const PER_MILLION: f64 = 1e6;

/// Whether a sigma level includes the conventional 1.5 sigma shift.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SigmaShift {
    /// The Six Sigma convention: the level is short-term, 1.5 above the long-term z
    /// (6 sigma is 3.4 DPMO).
    #[default]
    Conventional,
    /// No shift: the level is the long-term z itself (6 sigma is 0.001 DPMO).
    Unshifted,
}

impl SigmaShift {
    /// The shift in standard deviations: 1.5 or 0.
    pub fn amount(self) -> f64 {
        match self {
            SigmaShift::Conventional => 1.5,
            SigmaShift::Unshifted => 0.0,
        }
    }
}

/// Observed DPMO: defects per million opportunities, with `opportunities_per_unit` ways for
/// each unit to be defective.
pub fn dpmo(defects: i64, units: i64, opportunities_per_unit: i64) -> Result<f64, SpcError> {
    if defects < 0 {
        return Err(SpcError::OutOfRange {
            what: "the defect count",
            value: defects as f64,
            range: "0 and up",
            hint: "defects are counted, so check the import",
        });
    }
    if units <= 0 || opportunities_per_unit <= 0 {
        return Err(SpcError::OutOfRange {
            what: "the number of units or of opportunities per unit",
            value: units.min(opportunities_per_unit) as f64,
            range: "1 and up",
            hint: "a DPMO needs at least one unit with at least one opportunity",
        });
    }
    let opportunities = units.saturating_mul(opportunities_per_unit);
    if defects > opportunities {
        return Err(SpcError::DefectsExceedOpportunities {
            defects,
            opportunities,
        });
    }
    Ok(defects as f64 / opportunities as f64 * PER_MILLION)
}

/// The sigma level for a defect rate in DPMO, which must lie strictly between 0 and one
/// million (no defects at all has no finite level; report "above" the level of one defect).
pub fn sigma_level(dpmo: f64, shift: SigmaShift) -> Result<f64, SpcError> {
    let tail = dpmo / PER_MILLION;
    // The tail itself goes into the quantile, not 1 − tail, so 3.4 DPMO keeps its digits.
    match normal_quantile(tail) {
        Some(z) => Ok(-z + shift.amount()),
        None => Err(SpcError::OutOfRange {
            what: "the defect rate in DPMO",
            value: dpmo,
            range: "(0, 1 000 000)",
            hint: "a sigma level needs some defects but not all; with none, quote the level of \
                   one defect as a lower bound",
        }),
    }
}

/// The DPMO a sigma level stands for: the one-sided tail beyond it, after the shift.
pub fn dpmo_at_sigma_level(sigma_level: f64, shift: SigmaShift) -> f64 {
    normal_sf(sigma_level - shift.amount()) * PER_MILLION
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn six_sigma_with_the_conventional_shift_is_three_point_four_dpmo() {
        let dpmo = dpmo_at_sigma_level(6.0, SigmaShift::Conventional);
        assert!((dpmo - 3.4).abs() < 0.005, "{dpmo}");
        let level = sigma_level(3.4, SigmaShift::Conventional).expect("in range");
        assert!((level - 6.0).abs() < 2e-4, "{level}");
    }

    #[test]
    fn the_published_sigma_table_comes_back_with_the_shift() {
        // The usual conversion table: level -> DPMO, rounded as printed.
        for (level, printed) in [
            (3.0, 66_807.0),
            (4.0, 6_210.0),
            (5.0, 233.0),
            (2.0, 308_538.0),
        ] {
            let dpmo = dpmo_at_sigma_level(level, SigmaShift::Conventional);
            assert!(
                (dpmo - printed).abs() <= 0.5 + printed * 1e-4,
                "{level}: {dpmo}"
            );
        }
    }

    #[test]
    fn six_sigma_without_the_shift_is_about_one_defect_per_billion() {
        let dpmo = dpmo_at_sigma_level(6.0, SigmaShift::Unshifted);
        assert!((dpmo - 9.865_876_450_377e-4).abs() < 1e-15, "{dpmo}");
        let level = sigma_level(66_807.2, SigmaShift::Unshifted).expect("in range");
        assert!((level - 1.5).abs() < 1e-6);
    }

    #[test]
    fn no_defects_or_all_defects_have_no_sigma_level() {
        for dpmo in [0.0, 1e6, -1.0, f64::NAN] {
            assert!(matches!(
                sigma_level(dpmo, SigmaShift::Conventional),
                Err(SpcError::OutOfRange { .. })
            ));
        }
    }

    #[test]
    fn observed_dpmo_counts_every_opportunity() {
        // 12 defects in 400 units with 5 opportunities each: 12 / 2000 = 6000 DPMO.
        assert_eq!(dpmo(12, 400, 5), Ok(6_000.0));
        assert_eq!(
            dpmo(2_001, 400, 5),
            Err(SpcError::DefectsExceedOpportunities {
                defects: 2_001,
                opportunities: 2_000
            })
        );
        assert!(matches!(dpmo(-1, 400, 5), Err(SpcError::OutOfRange { .. })));
        assert!(matches!(dpmo(1, 0, 5), Err(SpcError::OutOfRange { .. })));
    }

    proptest! {
        #[test]
        fn the_sigma_level_inverts_the_dpmo_it_stands_for(level in -2.0f64..9.0, shifted: bool) {
            let shift = if shifted { SigmaShift::Conventional } else { SigmaShift::Unshifted };
            let dpmo = dpmo_at_sigma_level(level, shift);
            prop_assume!(dpmo > 0.0 && dpmo < 1e6);
            let back = sigma_level(dpmo, shift).expect("in range");
            prop_assert!((back - level).abs() < 1e-9, "{level} -> {dpmo} -> {back}");
        }
    }
}
