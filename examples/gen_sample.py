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
"""

import argparse
import calendar
import csv
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
    with open(os.path.join(args.out, "leads.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        for i in range(1, args.leads + 1):
            lead = make_lead(rng, i)
            w.writerow([lead[c] for c in columns])
            events.extend(make_events(rng, lead["id"], now))
    # A few events of leads deleted since: the triage ignores them.
    for i in range(max(1, args.leads // 100)):
        events.append((now - rng.randint(0, 90 * 86400), "L-deleted-%d" % i, "content_download"))
    events.sort()
    with open(os.path.join(args.out, "events.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["lead_id", "type", "at"])
        for at, lead_id, kind in events:
            w.writerow([lead_id, kind, str(at) if rng.random() < 0.05 else iso(at)])
    print("wrote %d leads and %d events to %s" % (args.leads, len(events), args.out))


if __name__ == "__main__":
    main()
