#!/usr/bin/env python3
"""Generates a realistic, deterministic sample of leads and events for
leadgate-triage (Python standard library only).

    python3 examples/gen_sample.py                      # examples/data/{leads,events}.csv
    python3 examples/gen_sample.py --leads 100000 --out /tmp/bench   # benchmark input

The same arguments always give byte-identical files (fixed seed, no clock,
no hash-order dependence).  Events fall in the 90 days before --now
(default 2026-11-23T10:00:00Z, the `--now` the README and the tests use);
about 7.7 events a lead on average, so 100,000 leads give ~770,000 events.

The leads look like a CRM export: some cells empty, some odd casing
("HIGH", "SaaS", "Economic Buyer"), company names with commas and quotes,
and a free-text notes column that sometimes spans two lines.  The events
are a log sorted by time, `at` mostly ISO 8601 with a few rows in epoch
seconds (two systems feeding one log), plus a few events of leads that
are not in the leads file (deleted since).

outcomes.csv (`id,converted`, for leadgate-learn) says which leads became
an opportunity, drawn from a known ground truth (GROUND_TRUTH below):
converted with probability 1 / (1 + e^-z), z the sum of the effects of the
lead's attributes, independent of each other given the lead (so a learned
model can be checked against it).  The outcomes use their own random
stream, so leads.csv and events.csv are the same with or without them.
"""

import argparse
import calendar
import csv
import math
import os
import random
import time

DEFAULT_NOW = "2026-11-23T10:00:00Z"

NEEDS = ["high", "high", "High", "HIGH", "medium", "medium", "Medium", "low", "low", "unknown"]
ROLES = ["Decision Maker", "decision maker", "Economic Buyer", "economic buyer",
         "Influencer", "influencer", "Recommender", "End User", "CTO", "Procurement"]
INDUSTRIES = ["software", "Software", "SaaS", "saas", "manufacturing", "Retail",
              "finance", "Healthcare", "education", "logistics"]
# (value, weight): about one lead in seven is not a buyer (a knockout)
PERSONAS = [("buyer", 40), ("Buyer", 5), ("engineer", 20), ("marketer", 20),
            ("Student", 4), ("student", 3), ("consultant", 4), ("Consultant", 2),
            ("competitor", 2)]
COUNTRIES = ["DE", "FR", "UK", "ES", "NL", "IT", "SE", "PL", "IE", "PT"]
SOURCES = ["web form", "webinar", "trade show", "partner", "content syndication"]
WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli",
         "Vandelay", "Pied Piper", "Soylent", "Tyrell", "Cyberdyne", "Wonka",
         "Gringotts", "Aperture", "Massive Dynamic", "Nakatomi", "Oscorp"]
SUFFIXES = ["GmbH", "Ltd", "S.A.", "B.V.", "AB", "Inc.", "SpA"]
NOTES = ["", "", "", "", "asked about pricing", "met at booth 12, wants a call",
         "prefers e-mail", "budget approved for Q1",
         "called twice, no answer\nleft voicemail", "renewal of a competitor's contract in March"]


# The ground truth of outcomes.csv: natural-log odds of converting.
GROUND_TRUTH_BASE = -2.0
GROUND_TRUTH = {
    "need": {"high": 1.5, "medium": 0.5, "low": -0.5, "": -0.3},
    "role": {"decision maker": 1.0, "economic buyer": 1.0, "influencer": 0.3, "cto": 0.5},
    "industry": {"software": 0.8, "saas": 0.8, "finance": 0.3},
    "persona": {"student": -2.0, "consultant": -1.5, "competitor": -3.0},
    "email_opt_in": {"true": 0.2},
}


def ground_truth_log_odds(lead):
    """z for a lead: GROUND_TRUTH over its (case-folded) cells, plus the
    timeframe (<= 3 months +1.0, 4..6 +0.5, over 12 -0.5) and size (under
    10 employees -1.0, over 1000 +0.3)."""
    z = GROUND_TRUTH_BASE
    for column, effects in GROUND_TRUTH.items():
        z += effects.get(lead[column].lower(), 0.0)
    if lead["timeframe_months"]:
        months = int(lead["timeframe_months"])
        z += 1.0 if months <= 3 else 0.5 if months <= 6 else -0.5 if months > 12 else 0.0
    if lead["employees"]:
        employees = int(lead["employees"])
        z += -1.0 if employees < 10 else 0.3 if employees > 1000 else 0.0
    return z


def parse_now(text):
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def maybe(rng, p, value):
    """value with probability p, else the empty (absent) cell."""
    return value if rng.random() < p else ""


def pick(rng, weighted):
    """A value from [(value, weight), ...]."""
    x = rng.random() * sum(w for _, w in weighted)
    for value, w in weighted:
        x -= w
        if x < 0:
            return value
    return weighted[-1][0]


def company(rng):
    name = rng.choice(WORDS)
    kind = rng.random()
    if kind < 0.15:
        return "%s, %s" % (name, rng.choice(SUFFIXES))           # a comma: quoted
    if kind < 0.18:
        return '%s "%s" %s' % (name, rng.choice(WORDS), "Ltd")     # quotes: doubled
    return "%s %s" % (name, rng.choice(SUFFIXES))


def make_lead(rng, i):
    size = rng.random()
    employees = (rng.randint(1, 9) if size < 0.1 else
                 rng.randint(10, 200) if size < 0.55 else rng.randint(201, 5000))
    return {
        "id": "L-%06d" % i,
        "company": company(rng),
        "need": maybe(rng, 0.85, rng.choice(NEEDS)),
        "timeframe_months": maybe(rng, 0.8, str(rng.randint(1, 18))),
        "role": maybe(rng, 0.8, rng.choice(ROLES)),
        "industry": maybe(rng, 0.9, rng.choice(INDUSTRIES)),
        "persona": maybe(rng, 0.9, pick(rng, PERSONAS)),
        "employees": maybe(rng, 0.85, str(employees)),
        "country": rng.choice(COUNTRIES),
        "email_opt_in": rng.choice(["true", "true", "false"]),
        "source": rng.choice(SOURCES),
        "notes": rng.choice(NOTES),
    }


def make_events(rng, lead_id, now):
    """(at, lead_id, type) for one lead: mostly content downloads and
    webinars, a demo request for about a third, rarely an unsubscribe."""
    span = 90 * 86400
    events = []
    for _ in range(rng.randint(0, 11) + (rng.random() < 0.25)):
        events.append((now - rng.randint(0, span), lead_id, "content_download"))
    for _ in range(rng.randint(0, 3)):
        events.append((now - rng.randint(0, span), lead_id, "webinar_attended"))
    if rng.random() < 0.4:
        # demo requests cluster in the recent weeks (campaign season)
        age = int(span * rng.random() ** 2)
        events.append((now - age, lead_id, "demo_requested"))
        if rng.random() < 0.2:
            events.append((now - rng.randint(0, span), lead_id, "demo_requested"))
    if rng.random() < 0.05:
        events.append((now - rng.randint(0, span), lead_id, "unsubscribed"))
    return events


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leads", type=int, default=300, help="number of leads (default 300)")
    ap.add_argument("--out", default=os.path.join(here, "data"),
                    help="output directory (default examples/data)")
    ap.add_argument("--now", default=DEFAULT_NOW, help="ISO 8601 UTC, default " + DEFAULT_NOW)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()

    now = parse_now(args.now)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    columns = ["id", "company", "need", "timeframe_months", "role", "industry", "persona",
               "employees", "country", "email_opt_in", "source", "notes"]
    events = []
    outcome_rng = random.Random(args.seed + 1)
    outcomes = []
    with open(os.path.join(args.out, "leads.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for i in range(1, args.leads + 1):
            lead = make_lead(rng, i)
            w.writerow([lead[c] for c in columns])
            events.extend(make_events(rng, lead["id"], now))
            p = 1.0 / (1.0 + math.exp(-ground_truth_log_odds(lead)))
            outcomes.append((lead["id"], 1 if outcome_rng.random() < p else 0))
    with open(os.path.join(args.out, "outcomes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "converted"])
        w.writerows(outcomes)
    # A few events of leads deleted since: the triage ignores them.
    for i in range(max(1, args.leads // 100)):
        events.append((now - rng.randint(0, 90 * 86400), "L-deleted-%d" % i, "content_download"))
    events.sort()
    with open(os.path.join(args.out, "events.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lead_id", "type", "at"])
        for at, lead_id, kind in events:
            w.writerow([lead_id, kind, str(at) if rng.random() < 0.05 else iso(at)])
    print("wrote %d leads, their outcomes and %d events to %s" % (args.leads, len(events),
                                                                 args.out))


if __name__ == "__main__":
    main()
