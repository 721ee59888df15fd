#!/usr/bin/env python3
"""Benchmark of the Python binding (prints numbers; not a test).

    LEADGATE_LIBRARY=build/libleadgate.so PYTHONPATH=examples/python \\
        python3 examples/python/bench.py [N]

- score_many over N prebuilt leads (default 100,000) shaped like
  tests/bench/bench_score.c's (need, timeframe, role, industry, employees,
  sometimes a persona, 5 to 11 events over 90 days) under the reference
  rubric: leads/s for the whole call (C plus building the result objects)
  and for the C call alone, to compare with `bench_score`'s
  score_many figure.
- Building a lead from a dict of 8 attributes and a list of 8 events: us
  per lead.

Each figure is the best and the median of 5 runs.
"""

import ctypes
import datetime as dt
import os
import random
import statistics
import sys
import time

import leadgate
from leadgate import _native

HERE = os.path.dirname(os.path.abspath(__file__))
RUBRIC = os.path.join(HERE, "..", "rubrics", "b2b.rubric")
RUNS = 5
NOW = dt.datetime(2026, 11, 23, 10, tzinfo=dt.timezone.utc)

NEEDS = ("high", "medium", "low", "unknown")
ROLES = ("decision maker", "Economic Buyer", "influencer", "recommender", "intern")
INDUSTRIES = ("software", "saas", "retail", "mining", "SaaS")
PERSONAS = ("student", "consultant", "buyer", "engineer")


def lead_spec(rng, i):
    attrs = {"need": rng.choice(NEEDS), "timeframe_months": rng.randint(0, 12),
             "role": rng.choice(ROLES), "industry": rng.choice(INDUSTRIES),
             "employees": rng.randint(1, 5000)}
    if rng.randint(0, 3) == 0:
        attrs["persona"] = rng.choice(PERSONAS)
    events = []
    for _ in range(rng.randint(5, 11)):
        r = rng.randint(0, 99)
        kind = ("content_download" if r < 55 else "webinar_attended" if r < 85
                else "demo_requested" if r < 97 else "unsubscribed")
        events.append((kind, NOW - dt.timedelta(seconds=rng.randint(0, 90 * 86400))))
    return "lead-%d" % i, attrs, events


def timed(fn):
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(42)
    with open(RUBRIC, encoding="utf-8") as f:
        rubric = leadgate.Rubric(f.read())
    leads = [leadgate.Lead(*lead_spec(rng, i)) for i in range(n)]

    best, median = timed(lambda: leadgate.score_many(rubric, leads, NOW))
    print("python score_many n=%d leads_per_s best=%.0f median=%.0f" % (n, n / best, n / median))

    # The C call alone, on the same leads: what the binding's conversions cost.
    lib = leadgate._lib
    arr = (ctypes.c_void_p * n)(*[lead._ptr.value for lead in leads])
    out = (_native.Score * n)()
    now = leadgate._time(NOW)
    rp = rubric._p()
    best, median = timed(lambda: lib.lg_score_many(rp, arr, n, now, out))
    print("c_call score_many n=%d leads_per_s best=%.0f median=%.0f" % (n, n / best, n / median))
    for lead in leads:
        lead.close()

    # Building a lead: 8 attributes, 8 events.
    m = max(n // 5, 1000)
    specs = []
    for i in range(m):
        _, attrs, _ = lead_spec(rng, i)
        attrs.update(persona="buyer", country="de", active=True)
        attrs = dict(list(attrs.items())[:8])
        events = [(rng.choice(("content_download", "webinar_attended")),
                   NOW - dt.timedelta(seconds=rng.randint(0, 90 * 86400))) for _ in range(8)]
        specs.append(("lead-%d" % i, attrs, events))
    assert all(len(a) == 8 and len(e) == 8 for _, a, e in specs)

    def build():
        for ident, attrs, events in specs:
            leadgate.Lead(ident, attrs, events).close()

    best, median = timed(build)
    print("python build_lead attrs=8 events=8 us_per_lead best=%.2f median=%.2f"
          % (best / m * 1e6, median / m * 1e6))
    rubric.close()


if __name__ == "__main__":
    main()
