"""The pandas half of `cargo xtask bench metrics`.

Reads the same SQLite file as the Rust half, with the same two queries (the incidents created in
the window and in the one of the same length before it, and their notify and acknowledge
entries), and computes the same aggregates the way an analyst would in pandas: counts, MTTA,
MTTD, MTTM, MTTR and MTBF (n, mean, nearest-rank median and p90), every KPI per service, on-call
load in and out of business hours, and the limits of the c chart of weekly counts and of the
XmR chart of weekly MTTR. The Nelson rules beyond rule 1 (a point outside the limits) are not
redone here: on twelve weekly points they cost nothing next to the rest.

Usage: metrics.py DB SINCE UNTIL ZONE REPEAT, dates being local midnights in ZONE. Prints lines
`name value...` on stdout: the times of each repetition, then `= name value` per aggregate, the
format the xtask reads (it has no JSON parser, and needs none).
"""

import math
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

INCIDENTS = """
SELECT i.id, s.name AS source, i.service, i.team, i.urgency, i.created_at,
       i.first_acknowledged_at AS acked, i.impact_started_at AS impact,
       i.first_mitigated_at AS mitigated, i.resolved_at AS resolved,
       i.merged_into IS NOT NULL AS merged, i.reopen_count
FROM incidents i JOIN sources s ON s.id = i.source_id
WHERE i.created_at >= ? AND i.created_at < ?
"""

EVENTS = """
SELECT e.incident_id AS id, e.actor, e.kind, e.at
FROM timeline_events e JOIN incidents i ON i.id = e.incident_id
WHERE i.created_at >= ? AND i.created_at < ?
  AND e.actor IS NOT NULL AND e.kind IN ('notified', 'acknowledged')
"""

# d2 for moving ranges of two: sigma = MR-bar / d2, as vigil-core's individuals chart.
D2 = 1.128


def local_midnight(date, zone):
    return int(pd.Timestamp(date).tz_localize(zone).tz_convert("UTC").timestamp())


def load(db, since, until):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        incidents = pd.read_sql_query(INCIDENTS, con, params=(since, until))
        events = pd.read_sql_query(EVENTS, con, params=(since, until))
    finally:
        con.close()
    return incidents, events


def nearest_rank(ordered, percent):
    n = len(ordered)
    if n == 0:
        return None
    rank = min(max(-(-percent * n // 100), 1), n)
    return float(ordered[rank - 1])


def summary(seconds):
    values = np.sort(seconds.dropna().to_numpy(dtype=np.int64))
    n = len(values)
    mean = int(values.sum()) / n if n else None
    return n, mean, nearest_rank(values, 50), nearest_rank(values, 90)


def elapsed(start, end):
    return (end - start).clip(lower=0)


def mtbf_gaps(counted):
    """Per service, a resolution to the next creation; an incident created before the service
    recovered adds no gap, and none starts from an open one (the clock restarts at the next
    resolution). The latest resolution so far within a run of incidents not broken by an open
    one is exactly when the service last came back up."""
    named = counted[counted["service"].notna()].sort_values(["service", "created_at", "id"])
    is_open = named["resolved"].isna().astype(np.int64)
    run = named.groupby("service")["resolved"].transform(lambda s: s.isna().cumsum()) - is_open
    keys = [named["service"], run]
    up = named.groupby(keys)["resolved"].cummax().groupby(keys).shift(1)
    keep = up.notna() & (named["created_at"] >= up)
    return pd.DataFrame(
        {"service": named["service"][keep], "gap": (named["created_at"] - up)[keep]}
    )


def weeks_of(created, zone):
    local = pd.to_datetime(created, unit="s", utc=True).dt.tz_convert(zone)
    day = local.dt.tz_localize(None).dt.normalize()
    return day - pd.to_timedelta(day.dt.weekday, unit="D")


def compute(incidents, events, since, until, zone, mondays):
    out = {}
    inside = incidents[(incidents["created_at"] >= since) & (incidents["created_at"] < until)]
    counted = inside[~inside["merged"].astype(bool)]
    out["incidents"] = len(counted)
    out["open"] = int(counted["resolved"].isna().sum())
    out["unacknowledged"] = int(counted["acked"].isna().sum())
    out["reopened"] = int((counted["reopen_count"] > 0).sum())
    out["merged_away"] = int(inside["merged"].astype(bool).sum())
    before = incidents[incidents["created_at"] < since]
    before = before[~before["merged"].astype(bool)]
    out["previous.incidents"] = len(before)

    durations = {
        "mtta": elapsed(counted["created_at"], counted["acked"]),
        "mttd": elapsed(counted["impact"], counted["created_at"]),
        "mttm": elapsed(counted["created_at"], counted["mitigated"]),
        "mttr": elapsed(counted["created_at"], counted["resolved"]),
    }
    gaps = mtbf_gaps(counted)
    durations["mtbf"] = gaps["gap"]
    durations["previous.mttr"] = elapsed(before["created_at"], before["resolved"])
    for name, seconds in durations.items():
        n, mean, median, p90 = summary(seconds)
        out[f"{name}.n"], out[f"{name}.mean"] = n, mean
        out[f"{name}.median"], out[f"{name}.p90"] = median, p90

    for service, group in inside.groupby(inside["service"].fillna("(none)")):
        kept = group[~group["merged"].astype(bool)]
        prefix = f"service.{service}"
        out[f"{prefix}.incidents"] = len(kept)
        out[f"{prefix}.mtta.mean"] = summary(elapsed(kept["created_at"], kept["acked"]))[1]
        mttr = summary(elapsed(kept["created_at"], kept["resolved"]))
        out[f"{prefix}.mttr.mean"], out[f"{prefix}.mttr.p90"] = mttr[1], mttr[3]
        out[f"{prefix}.mtbf.mean"] = summary(gaps["gap"][gaps["service"] == service])[1]

    paged = events.merge(counted[["id", "resolved"]], on="id")
    local = pd.to_datetime(paged["at"], unit="s", utc=True).dt.tz_convert(zone)
    in_hours = (local.dt.weekday < 5) & (local.dt.hour >= 8) & (local.dt.hour < 18)
    first_ack = (
        paged[paged["kind"] == "acknowledged"].groupby(["id", "actor"])
        .agg(ack=("at", "min"), resolved=("resolved", "first"))
    )
    out["oncall.responders"] = paged["actor"].nunique()
    out["oncall.interruptions"] = len(paged)
    out["oncall.out_of_hours"] = int((~in_hours).sum())
    out["oncall.engaged_seconds"] = int(elapsed(first_ack["ack"], first_ack["resolved"]).sum())

    week = weeks_of(counted["created_at"], zone)
    counts = week.value_counts().reindex(mondays, fill_value=0).to_numpy(dtype=np.int64)
    c_bar = int(counts.sum()) / len(counts)
    c_limits = (c_bar, c_bar + 3 * math.sqrt(c_bar), max(c_bar - 3 * math.sqrt(c_bar), 0.0))
    chart("weekly_counts", counts.astype(float), c_limits, out)

    resolved = counted[counted["resolved"].notna()]
    seconds = (resolved["resolved"] - resolved["created_at"]).clip(lower=0)
    by_week = seconds.groupby(weeks_of(resolved["created_at"], zone)).agg(["sum", "count"])
    by_week = by_week[by_week.index.isin(mondays)]
    means = (by_week["sum"] / by_week["count"]).to_numpy()
    centre = means.sum() / len(means)
    sigma = np.abs(np.diff(means)).mean() / D2
    chart("weekly_mttr", means, (centre, centre + 3 * sigma, centre - 3 * sigma), out)
    return out


def chart(name, values, limits, out):
    centre, ucl, lcl = limits
    out[f"{name}.weeks"] = len(values)
    out[f"{name}.centre"], out[f"{name}.ucl"], out[f"{name}.lcl"] = centre, ucl, lcl
    out[f"{name}.beyond_limits"] = int(((values > ucl) | (values < lcl)).sum())


def main():
    db, since_date, until_date, zone, repeat = sys.argv[1:6]
    since, until = local_midnight(since_date, zone), local_midnight(until_date, zone)
    previous = since - (until - since)
    mondays = pd.date_range(since_date, until_date, freq="W-MON", inclusive="left")
    load_ms, compute_ms = [], []
    for _ in range(int(repeat)):
        started = time.perf_counter()
        incidents, events = load(db, previous, until)
        loaded = time.perf_counter()
        aggregates = compute(incidents, events, since, until, zone, mondays)
        computed = time.perf_counter()
        load_ms.append((loaded - started) * 1e3)
        compute_ms.append((computed - loaded) * 1e3)
    print("facts", len(incidents))
    print("load_ms", *load_ms)
    print("compute_ms", *compute_ms)
    print("pandas", pd.__version__)
    for name, value in aggregates.items():
        print("=", name, "null" if value is None else repr(float(value)))


if __name__ == "__main__":
    main()
