#!/usr/bin/env python3
"""The triage benchmark's peer: the same leads and events through SQLite
(Python's sqlite3, standard library only), scored with examples/rubrics/
b2b.rubric and qualified with examples/policies/inbound.policy written as
SQL, so anyone can reproduce the comparison.

    examples/bench_sqlite.py --data DIR [--now TIME] [--runs K] [--out FILE]
                             [--compare TRIAGE.csv] [--tolerance P] [--db FILE]

DIR holds leads.csv and events.csv (examples/gen_sample.py).  Each run
loads both files into a fresh database (in memory unless --db; timed as
`load`), runs one query that computes fit, engagement, total, knockouts,
grade, verdict and reason (timed as `query`, rows fetched) and writes the
columns of `leadgate-triage --format csv` (timed as `write`), then prints
grep-able lines on stdout:

    sqlite leads=100000 events=778899 runs=1 load_s_best=... load_s_median=...
        query_s_best=... write_s_best=... total_s_best=... leads_per_s_best=... ...
    sqlite-check rows=100000 fit_ok=... engagement_ok=... total_ok=... ...

--compare reads triage's CSV output on the same data and counts the rows
whose fit, engagement and total agree within --tolerance points (default
0.002: the library's decay is fixed-point, within one milli-point of the
exact sum per criterion, and SQLite's is double precision, so two
criteria that decay can each round a milli-point apart) and whose other
columns are equal; the exit status is 1 when a row disagrees.

The translation, criterion by criterion, is in QUERY below.  Text matches
use lower() (ASCII case folding, as the rubric language); `at` is epoch
seconds or ISO 8601, converted with unixepoch() while loading; events
after --now are ignored; the events of lead ids not in leads.csv drop out
in the join.  Decay uses SQL power(), present when SQLite is built with
its math functions (3.35+, as Debian's); otherwise a Python function is
registered under that name and the `power` field says so (and the query
is slower).  Only the columns the rubric and policy read are loaded, as
leadgate-triage does; cells are not trimmed (the generated data has no
padding).
"""

import argparse
import calendar
import csv
import math
import os
import resource
import sqlite3
import statistics
import sys
import time

DEFAULT_NOW = "2026-11-23T10:00:00Z"
DAY = 86400

SCHEMA = """
CREATE TABLE leads (id TEXT NOT NULL, need TEXT, timeframe_months INTEGER, role TEXT,
                    industry TEXT, persona TEXT, employees INTEGER);
CREATE TABLE events (lead_id TEXT NOT NULL, type TEXT NOT NULL, at INTEGER);
"""
LEAD_COLUMNS = ["id", "need", "timeframe_months", "role", "industry", "persona", "employees"]
INSERT_LEAD = ("INSERT INTO leads VALUES (?, NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''), "
               "NULLIF(?, ''), NULLIF(?, ''), NULLIF(?, ''))")
# epoch seconds or ISO 8601; anything else becomes NULL and is an error below
INSERT_EVENT = ("INSERT INTO events VALUES (?1, ?2, CASE WHEN ?3 GLOB '*[^0-9]*' OR ?3 = '' "
                "THEN unixepoch(?3) ELSE CAST(?3 AS INTEGER) END)")

# b2b.rubric and inbound.policy in SQL.  :now is epoch seconds.
QUERY = """
WITH ev AS (
  SELECT lead_id,
    -- demo request: once (the most recent event), 25 while its age < 30d
    max(CASE WHEN type = 'demo_requested' THEN at END) AS demo_at,
    -- content: 2 each, half-life 14d, max 10
    sum(CASE WHEN type = 'content_download'
             THEN 2.0 * power(2.0, -(:now - at) / 1209600.0) END) AS content,
    -- webinar: 5 each, half-life 30d
    sum(CASE WHEN type = 'webinar_attended'
             THEN 5.0 * power(2.0, -(:now - at) / 2592000.0) END) AS webinar,
    -- unsubscribed: -20 once, no decay
    max(type = 'unsubscribed') AS unsub
  FROM events WHERE at <= :now GROUP BY lead_id
), scored AS (
  SELECT l.rowid AS r, l.id AS id,
    (CASE lower(l.need) WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)
    + (CASE WHEN l.timeframe_months <= 3 THEN 3
            WHEN l.timeframe_months BETWEEN 4 AND 6 THEN 2
            WHEN l.timeframe_months > 6 THEN 1 ELSE 0 END)
    + (CASE WHEN lower(l.role) IN ('decision maker', 'economic buyer') THEN 3
            WHEN lower(l.role) = 'influencer' THEN 2
            WHEN lower(l.role) = 'recommender' THEN 1 ELSE 0 END)
    + (CASE WHEN l.industry IS NULL THEN 0
            WHEN lower(l.industry) IN ('software', 'saas') THEN 3 ELSE 1 END) AS fit,
    (CASE WHEN :now - e.demo_at < 2592000 THEN 25 ELSE 0 END)
    + round(min(10.0, coalesce(e.content, 0.0)), 3)
    + round(coalesce(e.webinar, 0.0), 3)
    + (CASE WHEN e.unsub THEN -20 ELSE 0 END) AS engagement,
    -- policy: event demo_requested within 30d (now-30d <= at <= now)
    coalesce(e.demo_at >= :now - 2592000, 0) AS demo30,
    coalesce(lower(l.persona) IN ('student', 'consultant', 'competitor'), 0) AS ko_buyer,
    coalesce(l.employees < 10, 0) AS ko_small
  FROM leads l LEFT JOIN ev e ON e.lead_id = l.id
)
SELECT id, printf('%.3f', fit), printf('%.3f', engagement), printf('%.3f', fit + engagement),
  ko_buyer OR ko_small,
  CASE WHEN fit >= 10 THEN 'A' WHEN fit >= 8 THEN 'B' WHEN fit >= 6 THEN 'C' ELSE 'D' END,
  CASE WHEN ko_buyer OR ko_small THEN 'disqualify'
       WHEN fit >= 8 AND (demo30 OR round(engagement, 3) >= 15) THEN 'mql'
       ELSE 'nurture' END,
  CASE WHEN ko_buyer THEN 'knockout "not a buyer"'
       WHEN ko_small THEN 'knockout "too small"'
       WHEN fit < 8 THEN 'fit >= 8'
       WHEN NOT (demo30 OR round(engagement, 3) >= 15)
         THEN '(event demo_requested within 30d or engagement >= 15)'
       ELSE 'fit >= 8 and (event demo_requested within 30d or engagement >= 15)' END
FROM scored ORDER BY r
"""
HEADER = ["id", "fit", "engagement", "total", "knocked_out", "grade", "verdict", "reason"]


def fail(message):
    sys.exit("bench_sqlite.py: " + message)


def open_db(path):
    if path and os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path or ":memory:", isolation_level=None)
    try:
        db.execute("SELECT power(2.0, 0.5)").fetchone()
        how = "sql"
    except sqlite3.OperationalError:
        db.create_function("power", 2, math.pow, deterministic=True)
        how = "python"
    db.executescript(SCHEMA)
    return db, how


def load(db, data):
    """Both CSVs into their tables; returns (leads, events)."""
    db.execute("BEGIN")
    with open(os.path.join(data, "leads.csv"), newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        try:
            pick = [header.index(c) for c in LEAD_COLUMNS]
        except ValueError:
            fail("%s/leads.csv lacks one of the columns %s" % (data, ", ".join(LEAD_COLUMNS)))
        db.executemany(INSERT_LEAD, ([row[i] for i in pick] for row in rows))
    with open(os.path.join(data, "events.csv"), newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        try:
            pick = [header.index(c) for c in ("lead_id", "type", "at")]
        except ValueError:
            fail("%s/events.csv lacks one of the columns lead_id, type, at" % data)
        db.executemany(INSERT_EVENT, ([row[i] for i in pick] for row in rows))
    db.execute("COMMIT")
    # never a silently wrong answer: cells the affinity could not convert
    bad = db.execute("SELECT (SELECT count(*) FROM leads WHERE typeof(timeframe_months) "
                     "NOT IN ('integer', 'null') OR typeof(employees) NOT IN ('integer', 'null')),"
                     " (SELECT count(*) FROM events WHERE at IS NULL)").fetchone()
    if bad[0] or bad[1]:
        fail("%d leads with a non-integer timeframe_months or employees, %d events with a bad "
             "time" % bad)
    return (db.execute("SELECT count(*) FROM leads").fetchone()[0],
            db.execute("SELECT count(*) FROM events").fetchone()[0])


def compare(rows, path, tolerance):
    """Counts of rows that agree with triage's CSV output in `path`."""
    with open(path, newline="", encoding="utf-8") as f:
        theirs = list(csv.reader(f))
    if not theirs or theirs[0][:len(HEADER)] != HEADER:
        fail("%s: not the output of leadgate-triage --format csv" % path)
    theirs = theirs[1:]
    counts = {"rows": len(rows), "triage_rows": len(theirs), "id_ok": 0, "fit_ok": 0,
              "engagement_ok": 0, "total_ok": 0, "other_ok": 0, "all_ok": 0, "exact": 0}
    worst = {"fit": 0.0, "engagement": 0.0, "total": 0.0}
    for ours, t in zip(rows, theirs):
        ok = ours[0] == t[0]
        counts["id_ok"] += ok
        for k, name in ((1, "fit"), (2, "engagement"), (3, "total")):
            d = abs(float(ours[k]) - float(t[k]))
            worst[name] = max(worst[name], d)
            if d <= tolerance:
                counts[name + "_ok"] += 1
            else:
                ok = False
        rest = list(map(str, ours[4:])) == t[4:8]
        counts["other_ok"] += rest
        counts["all_ok"] += ok and rest
        counts["exact"] += list(map(str, ours)) == t[:8]
    return counts, worst


def fmt(x):
    return "%.3f" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True, help="directory with leads.csv and events.csv")
    ap.add_argument("--now", default=DEFAULT_NOW, help="ISO 8601 UTC, default " + DEFAULT_NOW)
    ap.add_argument("--runs", type=int, default=1, help="runs (default 1); best and median")
    ap.add_argument("--out", help="write the CSV here (default: discarded)")
    ap.add_argument("--compare", help="leadgate-triage --format csv output on the same data")
    ap.add_argument("--tolerance", type=float, default=0.002,
                    help="points fit, engagement and total may differ by (default 0.002)")
    ap.add_argument("--db", help="database file (default: in memory); replaced")
    args = ap.parse_args()
    try:
        now = calendar.timegm(time.strptime(args.now, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        fail("--now: '%s' is not YYYY-MM-DDTHH:MM:SSZ" % args.now)

    times = {"load": [], "query": [], "write": [], "total": []}
    for _ in range(max(1, args.runs)):
        db, how = open_db(args.db)
        t0 = time.perf_counter()
        n_leads, n_events = load(db, args.data)
        t1 = time.perf_counter()
        rows = db.execute(QUERY, {"now": now}).fetchall()
        t2 = time.perf_counter()
        with open(args.out or os.devnull, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADER)
            w.writerows(rows)
        t3 = time.perf_counter()
        db.close()
        for k, v in (("load", t1 - t0), ("query", t2 - t1), ("write", t3 - t2),
                     ("total", t3 - t0)):
            times[k].append(v)

    fields = ["sqlite leads=%d events=%d runs=%d power=%s sqlite=%s"
              % (n_leads, n_events, len(times["total"]), how, sqlite3.sqlite_version)]
    for k in ("load", "query", "write", "total"):
        fields.append("%s_s_best=%s %s_s_median=%s" % (k, fmt(min(times[k])), k,
                                                     fmt(statistics.median(times[k]))))
    for k in ("query", "total"):
        fields.append("%s_leads_per_s_best=%d %s_leads_per_s_median=%d"
                      % (k, n_leads / min(times[k]), k, n_leads / statistics.median(times[k])))
    fields.append("peak_rss_kb=%d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(" ".join(fields), flush=True)

    if args.compare:
        counts, worst = compare(rows, args.compare, args.tolerance)
        print("sqlite-check " + " ".join("%s=%d" % kv for kv in counts.items())
              + " tolerance=%g " % args.tolerance
              + " ".join("max_diff_%s=%s" % (k, fmt(v)) for k, v in worst.items()))
        if (counts["all_ok"] != counts["rows"] or counts["rows"] != counts["triage_rows"]):
            sys.exit(1)


if __name__ == "__main__":
    main()
