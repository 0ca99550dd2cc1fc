//! Run rules: patterns on a control chart that are unlikely under common-cause variation alone,
//! so each one marks a special cause worth looking for.
//!
//! The eight Nelson rules (Journal of Quality Technology, 1984) and the four zone rules of the
//! Western Electric handbook (1956) share most patterns, so each pattern is one [`Rule`] and
//! the two sets are lists of them ([`Rule::NELSON`], [`Rule::WESTERN_ELECTRIC`]); any selection
//! can be evaluated.
//!
//! Which point is flagged: the one that completes the pattern, that is the last point of the
//! run or window, and for the "m of k" rules only if that point is itself one of the m (a window
//! whose last point is inside the zone was already flagged when its m-th point arrived). A run
//! longer than required flags every point that extends it, so a run of eleven points on one side
//! flags the 9th, 10th and 11th under the nine-point rule. The first points of a chart form
//! shorter windows for the "m of k" rules: two points beyond two sigma at the very start are
//! already two of three, whatever came before.
//!
//! Further choices, each the common reading: "beyond" and "within" are strict (a point exactly
//! on a zone line is in the inner zone); a point exactly on the centre line ends a run on one
//! side; equal consecutive values end a trend and an alternation; beyond three sigma means
//! beyond the drawn (clamped) limits. The zone rules read each point's own sigma, so they work on
//! p and u charts with varying limits too. They assume a roughly symmetric statistic: on R, S
//! and MR charts usually only [`Rule::BeyondLimits`] is applied.

use serde::{Deserialize, Serialize};

use crate::spc::chart::{ChartPoint, ControlChart};

/// One special-cause pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// One point beyond the control limits (Nelson 1, Western Electric 1).
    BeyondLimits,
    /// Nine points in a row on one side of the centre line (Nelson 2).
    NineOnOneSide,
    /// Six points in a row steadily increasing or decreasing (Nelson 3).
    SixTrending,
    /// Fourteen points in a row alternating up and down (Nelson 4).
    FourteenAlternating,
    /// Two of three points in a row beyond two sigma on the same side (Nelson 5, Western
    /// Electric 2).
    TwoOfThreeBeyondTwoSigma,
    /// Four of five points in a row beyond one sigma on the same side (Nelson 6, Western
    /// Electric 3).
    FourOfFiveBeyondOneSigma,
    /// Fifteen points in a row within one sigma of the centre line, either side (Nelson 7).
    FifteenWithinOneSigma,
    /// Eight points in a row beyond one sigma, either side (Nelson 8).
    EightBeyondOneSigma,
    /// Eight points in a row on one side of the centre line (Western Electric 4).
    EightOnOneSide,
}

impl Rule {
    /// The eight Nelson rules, in Nelson's order.
    pub const NELSON: [Rule; 8] = [
        Rule::BeyondLimits,
        Rule::NineOnOneSide,
        Rule::SixTrending,
        Rule::FourteenAlternating,
        Rule::TwoOfThreeBeyondTwoSigma,
        Rule::FourOfFiveBeyondOneSigma,
        Rule::FifteenWithinOneSigma,
        Rule::EightBeyondOneSigma,
    ];

    /// The four Western Electric zone rules, in the handbook's order.
    pub const WESTERN_ELECTRIC: [Rule; 4] = [
        Rule::BeyondLimits,
        Rule::TwoOfThreeBeyondTwoSigma,
        Rule::FourOfFiveBeyondOneSigma,
        Rule::EightOnOneSide,
    ];

    /// The rule's number among Nelson's, if it is one of them.
    pub fn nelson_number(self) -> Option<u8> {
        let position = Rule::NELSON.iter().position(|&r| r == self)?;
        u8::try_from(position + 1).ok()
    }

    /// The rule's number among the Western Electric zone rules, if it is one of them.
    pub fn western_electric_number(self) -> Option<u8> {
        let position = Rule::WESTERN_ELECTRIC.iter().position(|&r| r == self)?;
        u8::try_from(position + 1).ok()
    }

    /// What the rule looks for, in words for a tooltip.
    pub fn description(self) -> &'static str {
        match self {
            Rule::BeyondLimits => "one point beyond the control limits",
            Rule::NineOnOneSide => "nine points in a row on one side of the centre line",
            Rule::SixTrending => "six points in a row steadily increasing or decreasing",
            Rule::FourteenAlternating => "fourteen points in a row alternating up and down",
            Rule::TwoOfThreeBeyondTwoSigma => "two of three points beyond two sigma, same side",
            Rule::FourOfFiveBeyondOneSigma => "four of five points beyond one sigma, same side",
            Rule::FifteenWithinOneSigma => "fifteen points in a row within one sigma",
            Rule::EightBeyondOneSigma => "eight points in a row beyond one sigma, either side",
            Rule::EightOnOneSide => "eight points in a row on one side of the centre line",
        }
    }

    /// Positions of the points that complete this rule's pattern.
    fn detect(self, points: &[ChartPoint]) -> Vec<usize> {
        let side = |p: &ChartPoint| sign(p.value - p.centre);
        let flags: Vec<bool> = match self {
            Rule::BeyondLimits => points.iter().map(ChartPoint::is_beyond_limits).collect(),
            Rule::NineOnOneSide => runs_of_same_sign(points.iter().map(side), 9),
            Rule::EightOnOneSide => runs_of_same_sign(points.iter().map(side), 8),
            Rule::SixTrending => trends(points, 6),
            Rule::FourteenAlternating => alternations(points, 14),
            Rule::TwoOfThreeBeyondTwoSigma => m_of_k_beyond(points, 2, 3, 2.0),
            Rule::FourOfFiveBeyondOneSigma => m_of_k_beyond(points, 4, 5, 1.0),
            Rule::FifteenWithinOneSigma => {
                runs(points.iter().map(|p| p.zone_score().abs() < 1.0), 15)
            }
            Rule::EightBeyondOneSigma => runs(points.iter().map(|p| p.zone_score().abs() > 1.0), 8),
        };
        flags
            .iter()
            .enumerate()
            .filter(|(_, &f)| f)
            .map(|(i, _)| i)
            .collect()
    }
}

/// One rule that was broken, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleViolation {
    /// The rule.
    pub rule: Rule,
    /// Positions in [`ControlChart::points`] of the points completing the pattern, ascending.
    pub points: Vec<usize>,
}

/// The outcome of evaluating a selection of rules on one chart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleReport {
    /// The rules broken, in the order they were asked for; rules not broken are left out.
    pub violations: Vec<RuleViolation>,
}

impl RuleReport {
    /// Every point flagged by any rule: the special causes to investigate, ascending.
    pub fn special_causes(&self) -> Vec<usize> {
        let mut all: Vec<usize> = self
            .violations
            .iter()
            .flat_map(|v| v.points.clone())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// True when no rule was broken.
    pub fn is_in_control(&self) -> bool {
        self.violations.is_empty()
    }

    /// The rules a point breaks, for its tooltip.
    pub fn rules_at(&self, point: usize) -> Vec<Rule> {
        self.violations
            .iter()
            .filter(|v| v.points.binary_search(&point).is_ok())
            .map(|v| v.rule)
            .collect()
    }
}

/// Evaluates `rules` (each once, duplicates ignored) on `chart`.
pub fn evaluate_rules(chart: &ControlChart, rules: &[Rule]) -> RuleReport {
    let mut violations: Vec<RuleViolation> = Vec::new();
    for (i, &rule) in rules.iter().enumerate() {
        if rules[..i].contains(&rule) {
            continue;
        }
        let points = rule.detect(&chart.points);
        if !points.is_empty() {
            violations.push(RuleViolation { rule, points });
        }
    }
    RuleReport { violations }
}

/// -1, 0 or 1; NaN counts as 0, so an unreadable point breaks every run.
fn sign(x: f64) -> i8 {
    if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }
}

/// Flags the points ending a run of at least `length` consecutive `true`s.
fn runs(conditions: impl Iterator<Item = bool>, length: usize) -> Vec<bool> {
    let mut run = 0;
    conditions
        .map(|holds| {
            run = if holds { run + 1 } else { 0 };
            run >= length
        })
        .collect()
}

/// Flags the points ending a run of at least `length` equal, non-zero signs.
fn runs_of_same_sign(signs: impl Iterator<Item = i8>, length: usize) -> Vec<bool> {
    let mut previous = 0;
    let mut run = 0;
    signs
        .map(|s| {
            run = if s == 0 {
                0
            } else if s == previous {
                run + 1
            } else {
                1
            };
            previous = s;
            run >= length
        })
        .collect()
}

/// Signs of the steps between consecutive values; the first point has no step (0).
fn steps(points: &[ChartPoint]) -> Vec<i8> {
    let mut signs = vec![0];
    signs.extend(points.windows(2).map(|w| sign(w[1].value - w[0].value)));
    signs.truncate(points.len());
    signs
}

/// `length` points steadily rising or falling are `length − 1` steps of one sign.
fn trends(points: &[ChartPoint], length: usize) -> Vec<bool> {
    runs_of_same_sign(steps(points).into_iter(), length - 1)
}

/// `length` alternating points are `length − 1` non-zero steps, each the opposite of the last.
fn alternations(points: &[ChartPoint], length: usize) -> Vec<bool> {
    let mut previous = 0;
    let mut run = 0;
    steps(points)
        .into_iter()
        .map(|s| {
            run = if s == 0 {
                0
            } else if s == -previous {
                run + 1
            } else {
                1
            };
            previous = s;
            run >= length - 1
        })
        .collect()
}

/// Flags a point beyond `zones` sigma when, with it, at least `m` of the last `k` points
/// (fewer at the start of the chart) are beyond `zones` sigma on its side.
fn m_of_k_beyond(points: &[ChartPoint], m: usize, k: usize, zones: f64) -> Vec<bool> {
    let side = |p: &ChartPoint| {
        let z = p.zone_score();
        if z > zones {
            1
        } else if z < -zones {
            -1
        } else {
            0
        }
    };
    let sides: Vec<i8> = points.iter().map(side).collect();
    (0..sides.len())
        .map(|i| {
            let s = sides[i];
            let window = &sides[(i + 1).saturating_sub(k)..=i];
            s != 0 && window.iter().filter(|&&w| w == s).count() >= m
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::spc::chart::ChartKind;

    /// A chart centred on zero with sigma 1 and limits at ±3, so values are zone scores.
    fn chart(values: &[f64]) -> ControlChart {
        chart_with_sigmas(&values.iter().map(|&v| (v, 1.0)).collect::<Vec<_>>())
    }

    fn chart_with_sigmas(points: &[(f64, f64)]) -> ControlChart {
        let points = points
            .iter()
            .enumerate()
            .map(|(sample, &(value, sigma))| ChartPoint {
                sample,
                value,
                centre: 0.0,
                lcl: -3.0 * sigma,
                ucl: 3.0 * sigma,
                sigma,
            })
            .collect();
        ControlChart {
            kind: ChartKind::Individuals,
            points,
        }
    }

    fn flagged(rule: Rule, values: &[f64]) -> Vec<usize> {
        rule.detect(&chart(values).points)
    }

    #[test]
    fn a_point_on_the_limit_is_not_beyond_it() {
        assert_eq!(flagged(Rule::BeyondLimits, &[3.0, -3.0, 3.1, -3.5]), [2, 3]);
    }

    #[test]
    fn nine_points_on_one_side_flag_the_ninth_and_each_after() {
        let mut values = vec![-0.5];
        values.extend([0.5; 11]);
        assert_eq!(flagged(Rule::NineOnOneSide, &values), [9, 10, 11]);
        assert_eq!(flagged(Rule::EightOnOneSide, &values), [8, 9, 10, 11]);
    }

    #[test]
    fn a_point_on_the_centre_line_ends_a_run() {
        let mut values = vec![0.5; 8];
        values.push(0.0);
        values.extend([0.5; 8]);
        assert!(flagged(Rule::NineOnOneSide, &values).is_empty());
    }

    #[test]
    fn six_rising_points_flag_the_sixth_and_a_tie_breaks_the_trend() {
        assert_eq!(
            flagged(Rule::SixTrending, &[0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
            [5, 6]
        );
        assert_eq!(
            flagged(Rule::SixTrending, &[0.6, 0.5, 0.4, 0.3, 0.2, 0.1]),
            [5]
        );
        assert!(flagged(Rule::SixTrending, &[0.0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5]).is_empty());
    }

    #[test]
    fn fourteen_alternating_points_flag_the_fourteenth() {
        let values: Vec<f64> = (0..15)
            .map(|i| if i % 2 == 0 { 0.2 } else { -0.2 })
            .collect();
        assert_eq!(flagged(Rule::FourteenAlternating, &values), [13, 14]);
        assert!(flagged(Rule::FourteenAlternating, &values[..13]).is_empty());
    }

    #[test]
    fn two_of_three_beyond_two_sigma_flag_the_second_and_not_a_later_inside_point() {
        assert_eq!(
            flagged(Rule::TwoOfThreeBeyondTwoSigma, &[0.0, 2.5, 0.0, 2.1, 0.0]),
            [3]
        );
        assert_eq!(
            flagged(Rule::TwoOfThreeBeyondTwoSigma, &[0.0, 2.5, 0.0, 0.0, 2.1]),
            [] as [usize; 0]
        );
    }

    #[test]
    fn two_points_beyond_two_sigma_at_the_start_of_a_chart_are_flagged() {
        assert_eq!(
            flagged(Rule::TwoOfThreeBeyondTwoSigma, &[-2.5, -2.2, 0.0]),
            [1]
        );
    }

    #[test]
    fn points_beyond_two_sigma_on_opposite_sides_are_no_pattern() {
        let values = [2.5, -2.5, -0.5, 2.5, 0.0];
        assert!(flagged(Rule::TwoOfThreeBeyondTwoSigma, &values).is_empty());
    }

    #[test]
    fn four_of_five_beyond_one_sigma_flag_the_fourth_qualifying_point() {
        let values = [1.5, 1.2, 0.0, 1.1, 1.9, 0.5];
        assert_eq!(flagged(Rule::FourOfFiveBeyondOneSigma, &values), [4]);
        // Exactly one sigma is inside zone C.
        assert!(flagged(Rule::FourOfFiveBeyondOneSigma, &[1.0, 1.5, 1.5, 1.5, 0.0]).is_empty());
    }

    #[test]
    fn fifteen_points_hugging_the_centre_line_flag_the_fifteenth() {
        let values: Vec<f64> = (0..16)
            .map(|i| if i % 3 == 0 { 0.9 } else { -0.4 })
            .collect();
        assert_eq!(flagged(Rule::FifteenWithinOneSigma, &values), [14, 15]);
    }

    #[test]
    fn eight_points_avoiding_zone_c_on_both_sides_flag_the_eighth() {
        let values: Vec<f64> = (0..8)
            .map(|i| if i % 2 == 0 { 1.5 } else { -1.2 })
            .collect();
        assert_eq!(flagged(Rule::EightBeyondOneSigma, &values), [7]);
    }

    #[test]
    fn the_zone_rules_read_each_points_own_sigma() {
        // 1.5 is beyond two sigma where sigma is 0.5, and inside one sigma where it is 2.
        let wide = chart_with_sigmas(&[(1.5, 2.0), (1.5, 2.0), (1.5, 2.0)]);
        let narrow = chart_with_sigmas(&[(1.5, 0.5), (1.5, 0.5), (1.5, 0.5)]);
        assert!(evaluate_rules(&wide, &[Rule::TwoOfThreeBeyondTwoSigma]).is_in_control());
        let report = evaluate_rules(&narrow, &[Rule::TwoOfThreeBeyondTwoSigma]);
        assert_eq!(report.special_causes(), [1, 2]);
    }

    #[test]
    fn the_rule_sets_are_numbered_as_published() {
        assert_eq!(Rule::BeyondLimits.nelson_number(), Some(1));
        assert_eq!(Rule::BeyondLimits.western_electric_number(), Some(1));
        assert_eq!(Rule::TwoOfThreeBeyondTwoSigma.nelson_number(), Some(5));
        assert_eq!(
            Rule::TwoOfThreeBeyondTwoSigma.western_electric_number(),
            Some(2)
        );
        assert_eq!(Rule::EightOnOneSide.western_electric_number(), Some(4));
        assert_eq!(Rule::EightOnOneSide.nelson_number(), None);
        assert_eq!(Rule::EightBeyondOneSigma.nelson_number(), Some(8));
    }

    #[test]
    fn the_report_lists_each_special_cause_once_with_the_rules_it_breaks() {
        let mut values = vec![0.5; 8];
        values.push(3.5);
        let report = evaluate_rules(&chart(&values), &Rule::WESTERN_ELECTRIC);
        assert_eq!(report.special_causes(), [7, 8]);
        assert_eq!(
            report.rules_at(8),
            [Rule::BeyondLimits, Rule::EightOnOneSide]
        );
        assert_eq!(report.rules_at(7), [Rule::EightOnOneSide]);
        assert!(!report.is_in_control());
    }

    #[test]
    fn a_rule_asked_for_twice_is_reported_once() {
        let report = evaluate_rules(&chart(&[4.0]), &[Rule::BeyondLimits, Rule::BeyondLimits]);
        assert_eq!(report.violations.len(), 1);
    }

    /// Each rule read literally from its definition, window by window.
    fn brute_force(rule: Rule, points: &[ChartPoint]) -> Vec<usize> {
        let v = |i: usize| points[i].value;
        let z = |i: usize| points[i].zone_score();
        let last = |i: usize, k: usize| (i + 1 >= k).then(|| (i + 1 - k)..=i);
        let all_in = |i: usize, k: usize, test: &dyn Fn(usize) -> bool| {
            last(i, k).is_some_and(|mut window| window.all(test))
        };
        let same_side =
            |i: usize, k: usize| all_in(i, k, &|j| v(j) > 0.0) || all_in(i, k, &|j| v(j) < 0.0);
        let m_of_k = |i: usize, m: usize, k: usize, t: f64| {
            [1.0, -1.0].into_iter().any(|s: f64| {
                let start = (i + 1).saturating_sub(k);
                s * z(i) > t && (start..=i).filter(|&j| s * z(j) > t).count() >= m
            })
        };
        (0..points.len())
            .filter(|&i| match rule {
                Rule::BeyondLimits => v(i) > points[i].ucl || v(i) < points[i].lcl,
                Rule::NineOnOneSide => same_side(i, 9),
                Rule::EightOnOneSide => same_side(i, 8),
                Rule::SixTrending => {
                    i >= 5
                        && (all_in(i - 1, 5, &|j| v(j + 1) > v(j))
                            || all_in(i - 1, 5, &|j| v(j + 1) < v(j)))
                }
                Rule::FourteenAlternating => {
                    i >= 13
                        && ((i - 13)..i).all(|j| v(j + 1) != v(j))
                        && ((i - 12)..i).all(|j| (v(j + 1) - v(j)) * (v(j) - v(j - 1)) < 0.0)
                }
                Rule::TwoOfThreeBeyondTwoSigma => m_of_k(i, 2, 3, 2.0),
                Rule::FourOfFiveBeyondOneSigma => m_of_k(i, 4, 5, 1.0),
                Rule::FifteenWithinOneSigma => all_in(i, 15, &|j| z(j).abs() < 1.0),
                Rule::EightBeyondOneSigma => all_in(i, 8, &|j| z(j).abs() > 1.0),
            })
            .collect()
    }

    const EVERY_RULE: [Rule; 9] = [
        Rule::BeyondLimits,
        Rule::NineOnOneSide,
        Rule::SixTrending,
        Rule::FourteenAlternating,
        Rule::TwoOfThreeBeyondTwoSigma,
        Rule::FourOfFiveBeyondOneSigma,
        Rule::FifteenWithinOneSigma,
        Rule::EightBeyondOneSigma,
        Rule::EightOnOneSide,
    ];

    proptest! {
        #[test]
        fn every_rule_agrees_with_a_brute_force_reading(
            // Half steps land exactly on the zone lines; few levels make runs and ties common.
            raw in prop::collection::vec((-8i32..=8, prop::sample::select(vec![0.5, 1.0, 2.0])), 0..120)
        ) {
            let points: Vec<(f64, f64)> = raw.iter().map(|&(k, s)| (f64::from(k) / 2.0 * s, s)).collect();
            let chart = chart_with_sigmas(&points);
            for rule in EVERY_RULE {
                prop_assert_eq!(rule.detect(&chart.points), brute_force(rule, &chart.points), "{:?}", rule);
            }
        }

        #[test]
        fn trends_and_alternations_agree_with_a_brute_force_reading_on_a_random_walk(
            // Steps mostly of one sign make long trends; flips make alternations.
            steps in prop::collection::vec(prop::sample::select(vec![-1i32, 1, 1, 0, 1, -1]), 0..200)
        ) {
            let mut level = 0;
            let values: Vec<f64> = steps
                .iter()
                .map(|&s| {
                    level += s;
                    f64::from(level) * 0.25
                })
                .collect();
            let chart = chart(&values);
            for rule in EVERY_RULE {
                prop_assert_eq!(rule.detect(&chart.points), brute_force(rule, &chart.points), "{:?}", rule);
            }
        }
    }
}
