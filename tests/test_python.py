#!/usr/bin/env python3
"""Tests of the ctypes binding examples/python/leadgate.py (stdlib unittest).

Run by CTest with LEADGATE_LIB pointing at the freshly built shared library;
by hand:  LEADGATE_LIB=build/libleadgate.so python3 tests/test_python.py

Every expected value below is worked out by hand from the rubric and the
policy (the reference examples, inlined here), with the arithmetic in comments;
none comes from the library.  Decay results are allowed the contract's
error of 1 milli-point per decayed event.
"""

import calendar
import ctypes
import datetime
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "examples", "python"))

import leadgate  # noqa: E402

RUBRIC = """\
rubric "b2b-default"
fit "need" from need
  when "high" -> 3
  when "medium" -> 2
  when "low" -> 1
fit "timeframe" from timeframe_months
  when <= 3 -> 3
  when 4..6 -> 2
  when > 6 -> 1
fit "authority" from role
  when "decision maker", "economic buyer" -> 3
  when "influencer" -> 2
  when "recommender" -> 1
fit "profile" from industry
  when "software", "saas" -> 3
  otherwise -> 1
  missing -> 0
engagement "demo request" on demo_requested -> 25 expire 30d
engagement "content" on content_download -> 2 each max 10 half-life 14d
engagement "webinar" on webinar_attended -> 5 each half-life 30d
engagement "unsubscribed" on unsubscribed -> -20
knockout "not a buyer" when persona is "student", "consultant", "competitor"
knockout "too small" when employees is < 10
"""

POLICY = """\
policy "inbound-emea"
disqualify when knockout
qualify when fit >= 8 and (event demo_requested within 30d or engagement >= 15)
grade "A" when fit >= 10
grade "B" when fit >= 8
grade "C" when fit >= 6
grade "D"
calendar
  utc-offset +01:00
  hours mon-fri 09:00-17:30
  hours sat 10:00-13:00
  holiday 2026-12-25
  offset-change 2026-03-29T01:00:00Z +02:00
  offset-change 2026-10-25T01:00:00Z +01:00
follow-up within 48h business
  warn at 75%
  remind at 100%
  escalate at 36h
  reassign at 48h max 2
  recycle at 96h
route least-loaded
"""

DAY = 86400
HOUR = 3600


def utc(y, mo, d, h=0, mi=0):
    return calendar.timegm((y, mo, d, h, mi, 0))


# Monday 2026-11-23 10:00 UTC (11:00 local at UTC+1).
NOW = utc(2026, 11, 23, 10)


class BindingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rubric = leadgate.Rubric(RUBRIC)
        cls.policy = leadgate.Policy(POLICY)

    @classmethod
    def tearDownClass(cls):
        cls.rubric.close()
        cls.policy.close()

    def assertPoints(self, got, want, events=0):
        """Equal, or within 1 milli-point per decayed event."""
        self.assertLessEqual(abs(got - want), events, "got %d, want %d (+-%d)" % (got, want, events))

    # ---- layout -------------------------------------------------------------

    def test_structs_mirror_the_header_layout(self):
        # Sizes from the header's field lists on an LP64 ABI:
        #   lg_error        4 + 4 + 4 + 160                   = 172
        #   lg_score        3*8 + 4*4                         = 40
        #   lg_contribution 8 + 8 + 4 + 4 + 8 + 8 + 2*8       = 56
        #   lg_decision     40 + 4 + 4 + 16 + 160 + 8 + 8
        #                   + 8 (next_at) + 3*8                = 272
        #   lg_sla_status   4 + 4 + 5*8 + 4 + 4 + 2*8         = 72
        if ctypes.sizeof(ctypes.c_void_p) != 8:
            self.skipTest("sizes below are for 64-bit pointers")
        self.assertEqual(ctypes.sizeof(leadgate._Error), 172)
        self.assertEqual(ctypes.sizeof(leadgate._Score), 40)
        self.assertEqual(ctypes.sizeof(leadgate._Contribution), 56)
        self.assertEqual(ctypes.sizeof(leadgate._Decision), 272)
        self.assertEqual(leadgate._Decision.reason.offset, 64)   # 40 + 4 + 4 + 16
        self.assertEqual(leadgate._Decision.next_at.offset, 240)
        self.assertEqual(ctypes.sizeof(leadgate._SlaStatus), 72)

    def test_version_and_rubric_metadata(self):
        self.assertEqual(leadgate.version(), "0.2.0")
        self.assertEqual(self.rubric.name, "b2b-default")
        # best fit: 3 (need) + 3 (timeframe) + 3 (authority) + 3 (profile) = 12 points
        self.assertEqual(self.rubric.max_fit, 12000)
        # the canonical text parses back to the same model
        again = leadgate.Rubric(self.rubric.to_text())
        self.assertEqual(again.fingerprint, self.rubric.fingerprint)
        again.close()

    # ---- decisions ------------------------------------------------------------

    def test_ideal_buyer_is_an_mql_with_grade_a(self):
        with leadgate.Lead("acme-vp") as lead:
            lead.set("need", "HIGH")               # "high", case-insensitive -> 3
            lead.set("timeframe_months", 2)        # <= 3 -> 3
            lead.set("role", "Economic Buyer")     # -> 3
            lead.set("industry", "SaaS")           # -> 3          fit = 12
            lead.set("email_opt_in", True)         # not in the rubric: no effect
            lead.add_event("demo_requested", NOW - 7 * DAY)      # 7d < 30d -> 25
            lead.add_event("content_download", NOW - 14 * DAY)   # 2 * 2^(-14/14) = 1
            lead.add_event("content_download", NOW - 28 * DAY)   # 2 * 2^(-28/14) = 0.5
            lead.add_event("webinar_attended", NOW - 30 * DAY)   # 5 * 2^(-30/30) = 2.5
            d = leadgate.decide(self.rubric, self.policy, lead, NOW)
            self.assertEqual(d.fit, 12000)
            # engagement = 25 + (1 + 0.5) + 2.5 = 29 points
            self.assertPoints(d.engagement, 29000, events=3)
            self.assertPoints(d.total, 41000, events=3)
            self.assertFalse(d.knocked_out)
            self.assertEqual(d.knockout_index, -1)
            self.assertEqual(d.missing_count, 0)
            # fit 12 >= 8 and a demo request 7 days ago (within 30d) -> MQL
            self.assertEqual(d.verdict, "mql")
            self.assertEqual(d.stage, "mql")        # NEW -> MQL
            self.assertEqual(d.grade, "A")          # fit 12 >= 10
            self.assertIn("fit >= 8", d.reason)
            self.assertEqual(d.rubric_fingerprint, self.rubric.fingerprint)
            self.assertEqual(d.policy_fingerprint, self.policy.fingerprint)
            self.assertIsNone(leadgate.next_question(self.rubric, lead))

    def test_busy_consultant_is_knocked_out_however_engaged(self):
        with leadgate.Lead("busy-reader") as lead:
            lead.set("need", "medium")             # -> 2
            lead.set("persona", "Consultant")      # knockout "not a buyer"
            lead.set("industry", "consulting")     # present, unmatched -> otherwise 1
            for _ in range(12):                    # age 0: 2 points each, 24 in all,
                lead.add_event("content_download", NOW)   # capped at max 10
            d = leadgate.decide(self.rubric, self.policy, lead, NOW)
            # fit = 2 + 0 (timeframe missing) + 0 (role missing) + 1 = 3
            self.assertEqual(d.fit, 3000)
            self.assertEqual(d.engagement, 10000)
            self.assertEqual(d.total, 13000)
            self.assertTrue(d.knocked_out)
            self.assertEqual(d.knockout_index, 0)  # the first knockout of the rubric
            self.assertEqual(d.missing_count, 2)   # timeframe_months, role
            self.assertEqual(d.verdict, "disqualify")
            self.assertEqual(d.reason, 'knockout "not a buyer"')
            self.assertEqual(d.grade, "D")          # fit 3 < 6
            # both missing attributes could add 3 - 0 = 3 points; the tie goes
            # to rubric order: timeframe before authority
            self.assertEqual(leadgate.next_question(self.rubric, lead), ("timeframe_months", 3000))
            items = leadgate.explain(self.rubric, lead, NOW)
            self.assertEqual([c.criterion for c in items],
                             ["need", "timeframe", "authority", "profile", "demo request",
                              "content", "webinar", "unsubscribed", "not a buyer", "too small"])
            self.assertEqual([c.points for c in items],
                             [2000, 0, 0, 1000, 0, 10000, 0, 0, 1000, 0])
            self.assertTrue(items[1].missing and items[2].missing)
            self.assertFalse(items[3].missing)
            self.assertEqual(items[8].kind, "knockout")

    def test_unsubscribe_and_an_expired_demo_leave_a_lead_in_nurture(self):
        with leadgate.Lead("cold") as lead:
            lead.set("need", "low")                # -> 1
            lead.set("timeframe_months", 5)        # 4..6 -> 2
            lead.set("role", "recommender")        # -> 1
            lead.set("industry", "software")       # -> 3          fit = 7
            lead.set("employees", 10)              # 10 is not < 10: no knockout
            lead.add_event("unsubscribed", NOW - 100 * DAY)   # no decay: -20
            lead.add_event("demo_requested", NOW - 30 * DAY)  # age 30d is not < 30d: 0
            d = leadgate.decide(self.rubric, self.policy, lead, NOW)
            self.assertEqual(d.fit, 7000)
            self.assertEqual(d.engagement, -20000)
            self.assertEqual(d.total, -13000)       # 7 - 20
            self.assertFalse(d.knocked_out)
            self.assertEqual(d.verdict, "nurture")
            self.assertEqual(d.stage, "nurture")    # NEW -> NURTURE
            self.assertEqual(d.grade, "C")          # 6 <= 7 < 8
            self.assertIn("fit >= 8", d.reason)     # the first failing part

    def test_engagement_path_qualifies_without_a_demo(self):
        with leadgate.Lead("webinar-fan") as lead:
            lead.set("need", "medium")             # -> 2
            lead.set("timeframe_months", 3)        # <= 3 -> 3
            lead.set("role", "Influencer")         # -> 2
            lead.set("industry", "manufacturing")  # otherwise -> 1   fit = 8
            for _ in range(3):
                lead.add_event("webinar_attended", NOW)   # age 0: 5 each, 15 in all
            d = leadgate.decide(self.rubric, self.policy, lead, NOW)
            self.assertEqual(d.fit, 8000)
            self.assertEqual(d.engagement, 15000)
            # fit 8 >= 8 and engagement 15 >= 15 -> MQL, grade B (8 <= fit < 10)
            self.assertEqual(d.verdict, "mql")
            self.assertEqual(d.grade, "B")
            # a later `now` replays history: 30 days on the webinars are worth
            # 3 * 5 * 2^-1 = 7.5 points, too few
            later = leadgate.decide(self.rubric, self.policy, lead, NOW + 30 * DAY)
            self.assertPoints(later.engagement, 7500, events=3)
            self.assertEqual(later.verdict, "nurture")
            # unset makes the attribute missing again: fit 8 - 2 = 6
            lead.set("role", None)
            self.assertEqual(leadgate.score(self.rubric, lead, NOW).fit, 6000)

    # ---- follow-up SLA ------------------------------------------------------------

    def test_sla_clock_runs_in_business_hours(self):
        # Assigned Monday 2026-11-23 08:00 UTC = 09:00 local (UTC+1), opening.
        # Business days: Mon-Fri 8.5 h, Sat 3 h.
        # 48 h target: Mon 8.5, Tue 17, Wed 25.5, Thu 34, Fri 42.5, Sat 45.5,
        #   then 2.5 h on Monday 30th: 09:00 + 2:30 = 11:30 local = 10:30 UTC.
        # 36 h (warn at 75% and escalate): Thu ends at 34, plus 2 h on Friday
        #   27th: 11:00 local = 10:00 UTC.
        start = utc(2026, 11, 23, 8)
        due = utc(2026, 11, 30, 10, 30)
        with leadgate.Lead("sla") as lead:
            s = leadgate.sla_eval(self.policy, lead, start)
            self.assertEqual(s.state, "none")
            self.assertEqual(s.next_at, leadgate.TIME_NEVER)

            lead.assign("rep-ana", start)
            self.assertEqual(lead.owner, "rep-ana")
            s = leadgate.sla_eval(self.policy, lead, start)
            self.assertEqual((s.state, s.action), ("running", "none"))
            self.assertEqual(s.started_at, start)
            self.assertEqual(s.due_at, due)
            self.assertEqual(s.next_at, utc(2026, 11, 27, 10))
            self.assertEqual(s.remaining, 48 * HOUR)

            # Friday 27th 12:00 UTC = 13:00 local: 34 + 4 = 38 business hours.
            friday = utc(2026, 11, 27, 12)
            s = leadgate.sla_eval(self.policy, lead, friday)
            self.assertEqual(s.state, "warning")
            self.assertEqual(s.action, "escalate")   # warn and escalate both at 36 h
            self.assertEqual(s.elapsed, 38 * HOUR)
            self.assertEqual(s.remaining, 10 * HOUR)
            self.assertEqual(s.next_at, due)         # remind / reassign at 48 h

            lead.record_action("escalate", friday)
            self.assertEqual(leadgate.sla_eval(self.policy, lead, friday).action, "none")

            # First call at 13:00 UTC, before the deadline: met.
            lead.touch(friday + HOUR)
            s = leadgate.sla_eval(self.policy, lead, friday + 2 * HOUR)
            self.assertEqual((s.state, s.action), ("met", "none"))

            # A second owner starts a new clock and counts as a reassignment.
            lead.assign("rep-ben", utc(2026, 11, 30, 8))
            s = leadgate.sla_eval(self.policy, lead, utc(2026, 11, 30, 8))
            self.assertEqual((s.state, s.reassignments), ("running", 1))
            self.assertEqual(lead.assignment_count, 2)

    def test_times_may_be_aware_datetimes(self):
        with leadgate.Lead("dt") as lead:
            when = datetime.datetime(2026, 11, 23, 11, 0, tzinfo=datetime.timezone(
                datetime.timedelta(hours=1)))
            lead.add_event("demo_requested", when)   # 10:00 UTC, age 0
            self.assertEqual(leadgate.score(self.rubric, lead, NOW).engagement, 25000)
            with self.assertRaises(ValueError):
                lead.add_event("demo_requested", datetime.datetime(2026, 11, 23))

    # ---- errors -------------------------------------------------------------------

    def test_parse_errors_carry_status_line_and_column(self):
        with self.assertRaises(leadgate.LeadgateError) as cm:
            leadgate.Rubric('rubric "x"\nfit "need" from need\n  when "high" 3\n')
        e = cm.exception
        self.assertEqual(e.status_name, "LG_ERR_SYNTAX")
        self.assertEqual(e.line, 3)
        self.assertGreater(e.column, 0)
        self.assertTrue(e.message)
        self.assertIn("LG_ERR_SYNTAX at 3:", str(e))

        with self.assertRaises(leadgate.LeadgateError) as cm:
            leadgate.Policy('policy "p"\nqualify when fit >=\n')
        self.assertEqual(cm.exception.status_name, "LG_ERR_SYNTAX")
        self.assertEqual(cm.exception.line, 2)

    def test_bad_arguments_raise_with_the_status_name(self):
        with self.assertRaises(leadgate.LeadgateError) as cm:
            leadgate.Lead("")
        self.assertEqual(cm.exception.status_name, "LG_ERR_INVALID")
        self.assertEqual((cm.exception.line, cm.exception.column), (0, 0))
        with leadgate.Lead("x") as lead:
            with self.assertRaises(leadgate.LeadgateError) as cm:
                lead.set("Bad Name", 1)
            self.assertEqual(cm.exception.status_name, "LG_ERR_INVALID")
            with self.assertRaises(leadgate.LeadgateError) as cm:
                lead.set("notes", "x" * 1025)
            self.assertEqual(cm.exception.status_name, "LG_ERR_LIMIT")
            with self.assertRaises(leadgate.LeadgateError) as cm:
                lead.unset("never_set")
            self.assertEqual(cm.exception.status_name, "LG_ERR_NOT_FOUND")
            with self.assertRaises(leadgate.LeadgateError) as cm:
                leadgate.decide(self.rubric, self.policy, lead, leadgate.TIME_MAX + 1)
            self.assertEqual(cm.exception.status_name, "LG_ERR_RANGE")
            with self.assertRaises(leadgate.LeadgateError) as cm:
                lead.touch(NOW)                        # not assigned
            self.assertEqual(cm.exception.status_name, "LG_ERR_STATE")
        lead.close()   # closing twice is fine
        with self.assertRaises(ValueError):
            lead.set("need", "high")


if __name__ == "__main__":
    unittest.main(verbosity=2)
