#!/usr/bin/env python3
"""The what-if report of leadgate-triage against an independent tally.

For each case, triage is run twice in its ordinary CSV mode, once with the
current definitions and once with the draft ones; this script counts the
verdict and grade transitions, the MQLs, MQLs per rep per month, the
threshold lg_calibrate documents (from the fit/total column and
knocked_out) and the leads that change most, from those two outputs alone,
and compares every figure with the report of --compare-rubric /
--compare-policy --format csv.  It also checks that the README's worked
example shows the program's real output.

usage: test_whatif.py TRIAGE   (run in the source tree)
"""
import csv
import io
import subprocess
import sys

TRIAGE = sys.argv[1]
BASE = ["--events", "examples/data/events.csv", "--now", "2026-11-23T10:00:00Z"]
LEADS = "examples/data/leads.csv"
RUBRIC = "examples/rubrics/b2b.rubric"
POLICY = "examples/policies/inbound.policy"

CASES = [
    # (draft rubric or None, draft policy or None, reps, days, capacity, dimension)
    (None, "examples/policies/inbound-fit9.policy", 2, 30, 12, None),
    ("examples/data/whatif/b2b-draft.rubric", None, 6, 90, 5, "total"),
    ("examples/data/whatif/b2b-draft.rubric", "examples/policies/inbound-fit9.policy", 3, 45,
     None, None),
]

failures = []


def check(what, got, want):
    if got != want:
        failures.append("%s: report says %r, the tally %r" % (what, got, want))


def run(args):
    p = subprocess.run([TRIAGE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        sys.exit("triage %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def rows(rubric, policy):
    out = run(["--rubric", rubric, "--policy", policy, "--format", "csv"] + BASE + [LEADS])
    return list(csv.DictReader(io.StringIO(out)))


def milli(text):
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    return sign * (int(whole) * 1000 + int((frac + "000")[:3]))


def points(m):
    return "%s%d.%03d" % ("-" if m < 0 else "", abs(m) // 1000, abs(m) % 1000)


def calibrate(rs, column, capacity):
    """lg_calibrate as leadgate.h documents it."""
    s = sorted((milli(r[column]) for r in rs if r["knocked_out"] == "0"), reverse=True)
    if not s:
        return 0, 0
    t = s[-1] if capacity >= len(s) else s[capacity] + 1
    return t, sum(1 for v in s if v >= t)


def blocks(text):
    return [list(csv.reader(io.StringIO(b))) for b in text.strip("\n").split("\n\n")]


for draft_rubric, draft_policy, reps, days, capacity, dimension in CASES:
    name = "draft %s" % " + ".join(x for x in (draft_rubric, draft_policy) if x)
    cur = rows(RUBRIC, POLICY)
    new = rows(draft_rubric or RUBRIC, draft_policy or POLICY)
    assert [r["id"] for r in cur] == [r["id"] for r in new]
    args = ["--rubric", RUBRIC, "--policy", POLICY, "--format", "csv"] + BASE
    if draft_rubric:
        args += ["--compare-rubric", draft_rubric]
    if draft_policy:
        args += ["--compare-policy", draft_policy]
    args += ["--reps", str(reps), "--days", str(days)]
    if capacity is not None:
        args += ["--capacity", str(capacity)]
    if dimension:
        args += ["--dimension", dimension]
    report = blocks(run(args + [LEADS]))
    verdict, grade, metric, top = report
    verdicts = ["nurture", "mql", "disqualify"]

    def transitions(column, names):
        want = [[column + "_current", column + "_draft", "leads"]]
        for a in names:
            for b in names:
                n = sum(1 for c, d in zip(cur, new) if c[column] == a and d[column] == b)
                want.append([a, b, str(n)])
        return want

    # 1. verdict transitions: every pair, in enum order
    check(name + ": verdicts", verdict, transitions("verdict", verdicts))
    # 2. grade transitions: every pair of grades seen, sorted
    names = sorted(set(r["grade"] for r in cur) | set(r["grade"] for r in new))
    check(name + ": grades", grade, transitions("grade", names))

    # 3. totals, per rep per month, capacity and lg_calibrate
    got = {r[0]: r[1:] for r in metric[1:]}
    check(name + ": header", metric[0], ["metric", "current", "draft", "change"])
    check(name + ": leads", got["leads"], [str(len(cur)), str(len(new)), "0"])
    for v in ("mql", "nurture", "disqualify"):
        a = sum(1 for r in cur if r["verdict"] == v)
        b = sum(1 for r in new if r["verdict"] == v)
        check(name + ": " + v, got[v], [str(a), str(b), str(b - a)])
    a = sum(1 for r in cur if r["verdict"] == "mql") / reps * 30 / days
    b = sum(1 for r in new if r["verdict"] == "mql") / reps * 30 / days
    check(name + ": mql per rep month", got["mql_per_rep_month"],
          ["%.3f" % a, "%.3f" % b, "%.3f" % (b - a)])
    if capacity is not None:
        dim = dimension or "fit"
        period = capacity * reps * days // 30
        ta, na = calibrate(cur, dim, period)
        tb, nb = calibrate(new, dim, period)
        check(name + ": capacity", got["capacity_period"], [str(period), str(period), "0"])
        check(name + ": calibrate threshold", got["calibrate_%s_threshold" % dim],
              [points(ta), points(tb), points(tb - ta)])
        check(name + ": calibrate count", got["calibrate_count"], [str(na), str(nb), str(nb - na)])
    else:
        check(name + ": no capacity rows", "capacity_period" in got, False)

    # 4. the leads that change most
    changed = []
    for i, (c, d) in enumerate(zip(cur, new)):
        delta = milli(d["total"]) - milli(c["total"])
        decision = c["verdict"] != d["verdict"] or c["grade"] != d["grade"]
        if delta or decision:
            changed.append((-abs(delta), not decision, i, c, d, delta))
    changed.sort(key=lambda x: x[:3])
    want = [top[0]]
    for _, _, _, c, d, delta in changed[:10]:
        want.append([c["id"], c["total"], d["total"], points(delta), c["verdict"], d["verdict"],
                     c["grade"], d["grade"], c["reason"], d["reason"]])
    check(name + ": top changes", top, want)
    check(name + ": top changes found", len(top) - 1, min(10, len(changed)))

# The README's worked example is the program's real output.
readme = open("README.md").read()
start = readme.index("$ leadgate-triage --rubric examples/rubrics/b2b.rubric --policy "
                     "examples/policies/inbound.policy \\")
block = readme[start:readme.index("```", start)].split("\n")
command = " ".join(line.rstrip("\\").strip() for line in block[:4]).split()[2:]
shown = "\n".join(block[4:])
check("README what-if example", shown, run(command))

if failures:
    sys.exit("\n".join(failures))
print("what-if report matches the tally in %d cases" % len(CASES))
