"""The numpy side of `cargo xtask bench spc`.

Reads the same little-endian float64 file as the Rust bench binary (crates/core/examples/
spc_bench.rs) and times the same three computations the same way: one warm-up run, then the
median of REPETITIONS runs. Prints `name value` lines for the xtask to parse.

What is computed mirrors vigil_core::spc:
- Xbar-R: subgroup means and ranges of consecutive groups of five, the grand mean, R-bar and
  the tabulated-factor limits (A2 = 0.577, D3 = 0, D4 = 2.114 for n = 5).
- I-MR: the mean, the moving ranges |x[i] - x[i-1]|, MR-bar and the limits with d2 = 1.128 and
  D4 = 3.267.
- The eight Nelson rules on the I chart, with the core's reading of each (the point that
  completes a pattern is flagged; "beyond" is strict; a run is broken by a point on the centre
  line; the m-of-k rules use shorter windows at the start of the chart). The counts of flagged
  points are printed so the xtask can check both sides flag the same points.

numpy broadcasts constant limits, so no per-point limit arrays are built; the Rust side builds
one struct per point, which is part of what it is timed on.
"""

import sys
import time

import numpy as np

SUBGROUP_SIZE = 5
A2, D3_5, D4_5 = 0.577, 0.0, 2.114
D2_2, D4_2 = 1.128, 3.267


def xbar_r(values):
    groups = values[: len(values) // SUBGROUP_SIZE * SUBGROUP_SIZE].reshape(-1, SUBGROUP_SIZE)
    means = groups.mean(axis=1)
    ranges = groups.max(axis=1) - groups.min(axis=1)
    grand_mean, r_bar = means.mean(), ranges.mean()
    limits = (grand_mean - A2 * r_bar, grand_mean + A2 * r_bar, D3_5 * r_bar, D4_5 * r_bar)
    return means, ranges, limits


def imr(values):
    mean = values.mean()
    moving_ranges = np.abs(np.diff(values))
    mr_bar = moving_ranges.mean()
    sigma = mr_bar / D2_2
    return mean, sigma, mean - 3 * sigma, mean + 3 * sigma, moving_ranges, D4_2 * mr_bar


def window_sum(flags, k):
    """For each i, how many of flags[i-k+1 ..= i] are true (fewer at the start)."""
    cumulative = np.concatenate((np.zeros(k, dtype=np.int64), np.cumsum(flags, dtype=np.int64)))
    return cumulative[k:] - cumulative[:-k]


def run_of(flags, k):
    """Points ending a run of at least k trues."""
    return window_sum(flags, k) >= k


def nelson(values, centre, sigma, lcl, ucl):
    z = (values - centre) / sigma
    above, below = values > centre, values < centre
    steps = np.concatenate(([0], np.sign(np.diff(values))))
    opposite = np.concatenate(([False], steps[1:] * steps[:-1] < 0))

    def m_of_k(m, k, zones):
        high, low = z > zones, z < -zones
        return (high & (window_sum(high, k) >= m)) | (low & (window_sum(low, k) >= m))

    return {
        "beyond_limits": (values > ucl) | (values < lcl),
        "nine_on_one_side": run_of(above, 9) | run_of(below, 9),
        "six_trending": run_of(steps > 0, 5) | run_of(steps < 0, 5),
        "fourteen_alternating": run_of(opposite, 12),
        "two_of_three_beyond_two_sigma": m_of_k(2, 3, 2.0),
        "four_of_five_beyond_one_sigma": m_of_k(4, 5, 1.0),
        "fifteen_within_one_sigma": run_of(np.abs(z) < 1.0, 15),
        "eight_beyond_one_sigma": run_of(np.abs(z) > 1.0, 8),
    }


def median_ms(repetitions, work):
    work()
    times = []
    for _ in range(max(repetitions, 1)):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1e3)
    times.sort()
    return times[len(times) // 2]


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: spc.py FILE [REPETITIONS]")
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    values = np.fromfile(sys.argv[1], dtype="<f8")

    xbar_r_ms = median_ms(repetitions, lambda: xbar_r(values))
    imr_ms = median_ms(repetitions, lambda: imr(values))
    mean, sigma, lcl, ucl, _, _ = imr(values)
    nelson_ms = median_ms(repetitions, lambda: nelson(values, mean, sigma, lcl, ucl))

    print(f"values {len(values)}")
    print(f"xbar_r_ms {xbar_r_ms:.3f}")
    print(f"imr_ms {imr_ms:.3f}")
    print(f"nelson_ms {nelson_ms:.3f}")
    print(f"total_ms {xbar_r_ms + imr_ms + nelson_ms:.3f}")
    for rule, flags in nelson(values, mean, sigma, lcl, ucl).items():
        print(f"flagged {rule} {int(np.count_nonzero(flags))}")
    print(f"numpy {np.__version__}")


if __name__ == "__main__":
    main()
