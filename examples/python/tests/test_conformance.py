"""Runs the conformance data set (tests/conformance/cases.json, see its
README.md) through the Python API and checks that every answer is the C
library's recorded one, exactly.

The data set is found at $LEADGATE_CONFORMANCE, else relative to this file
in the source tree.
"""

import datetime as dt
import json
import os
import unittest

import leadgate
from leadgate import _native

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.environ.get("LEADGATE_CONFORMANCE") or os.path.join(
    HERE, "..", "..", "..", "tests", "conformance", "cases.json")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def when(t):
    """A data-set time as the API takes it: an aware datetime when one can
    hold it, else the int (which the library then rejects)."""
    if _native.TIME_MIN <= t <= _native.TIME_MAX:
        return EPOCH + dt.timedelta(seconds=t)
    return t


def secs(t):
    return None if t is None else (t - EPOCH) // dt.timedelta(seconds=1)


def milli(p):
    return int(p * 1000)


def score_dict(s):
    return {"fit": milli(s.fit), "engagement": milli(s.engagement), "total": milli(s.total),
            "knocked_out": int(s.knocked_out),
            "knockout_index": -1 if s.knockout_index is None else s.knockout_index,
            "missing_count": s.missing_count}


def build_lead(spec):
    lead = leadgate.Lead(spec["id"], spec["attrs"],
                         [(t, when(at)) for t, at in spec["events"]], stage=spec["stage"])
    try:
        for a in spec["assignments"]:
            lead.assign(a["owner"], when(a["at"]))
            if a["touched_at"] is not None:
                lead.touch(when(a["touched_at"]))
            for action in a["recorded"]:
                lead.record_action(action, when(a["at"]))
    except BaseException:
        lead.close()
        raise
    return lead


def run(data, case):
    """The case's result in the data set's expect form."""
    objs = []
    try:
        try:
            rubric = policy = calendar = lead = None
            if "rubric" in case:
                rubric = leadgate.Rubric(data["rubrics"][case["rubric"]])
                objs.append(rubric)
            if "policy" in case:
                policy = leadgate.Policy(data["policies"][case["policy"]])
                objs.append(policy)
            if "calendar" in case:
                calendar = leadgate.Calendar(data["calendars"][case["calendar"]])
                objs.append(calendar)
        except leadgate.LeadgateError as e:
            return {"status": e.status_name, "line": e.line or 0, "column": e.column or 0,
                    "message": e.message}
        try:
            op = case["op"]
            if not op.startswith("calendar_"):
                lead = build_lead(data["leads"][case["lead"]])
                objs.append(lead)
            if op == "score":
                return score_dict(leadgate.score(rubric, lead, when(case["now"])))
            if op == "decide":
                d = leadgate.decide(rubric, policy, lead, when(case["now"]))
                out = score_dict(d.score)
                out.update(verdict=d.verdict, stage=d.stage, grade=d.grade, reason=d.reason,
                           rubric_fingerprint="%016x" % d.rubric_fingerprint,
                           policy_fingerprint="%016x" % d.policy_fingerprint,
                           next_at=secs(d.next_at))
                return out
            if op == "explain":
                return {"items": [{"criterion": c.criterion, "attribute": c.attribute,
                                   "kind": c.kind, "missing": int(c.missing),
                                   "points": milli(c.points), "max_points": milli(c.max_points)}
                                  for c in leadgate.explain(rubric, lead, when(case["now"]))]}
            if op == "next_question":
                q = leadgate.next_question(rubric, lead)
                if q is None:
                    return {"status": "LG_ERR_NOT_FOUND"}
                return {"attribute": q.attribute, "gain": milli(q.gain)}
            if op == "sla":
                s = leadgate.sla(policy, lead, when(case["now"]))
                none = s.state == "none"   # the C struct then holds 0 in started_at, due_at
                return {"state": s.state, "action": s.action,
                        "started_at": 0 if none else secs(s.started_at),
                        "due_at": 0 if none else secs(s.due_at), "next_at": secs(s.next_at),
                        "elapsed": s.elapsed // dt.timedelta(seconds=1),
                        "remaining": s.remaining // dt.timedelta(seconds=1),
                        "reassignments": s.reassignments,
                        "tier": -1 if s.tier is None else s.tier}
            if op == "route":
                reps = [leadgate.Rep(r["id"], bool(r["available"]), r["open_leads"],
                                     r["capacity"], r["weight"], when(r["last_assigned_at"]))
                        for r in case["reps"]]
                return {"chosen": leadgate.route(policy, lead, reps, when(case["now"]))}
            if op == "calendar_add":
                return {"at": secs(calendar.add(when(case["start"]), case["duration"]))}
            if op == "calendar_between":
                d = calendar.between(when(case["a"]), when(case["b"]))
                return {"seconds": d // dt.timedelta(seconds=1)}
            raise AssertionError("unknown op %s" % op)
        except leadgate.LeadgateError as e:
            return {"status": e.status_name}
    finally:
        for o in reversed(objs):
            o.close()


class Conformance(unittest.TestCase):
    def test_every_case_gives_the_recorded_answer(self):
        with open(CASES, encoding="utf-8") as f:
            data = json.load(f)
        self.assertEqual(data["format"], 1)
        self.assertGreater(len(data["cases"]), 500)
        wrong = []
        for case in data["cases"]:
            got = run(data, case)
            if got != case["expect"]:
                wrong.append("%s:\n  got  %s\n  want %s" % (case["id"], got, case["expect"]))
        self.assertEqual(wrong, [], "\n".join(wrong[:20]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
