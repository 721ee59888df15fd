-- The leadgate extension: every function, NULLs, every error with its
-- SQLSTATE, the definition cache's bounds, allocation failures.
-- Expected values are worked out by hand in the comments (README of
-- examples/data/expected for the sample lead L-000018).
\getenv abs_srcdir PG_ABS_SRCDIR
\set rubric_file :abs_srcdir '/../../rubrics/b2b.rubric'
\set policy_file :abs_srcdir '/../../policies/inbound.policy'
\set r `cat :rubric_file`
\set p `cat :policy_file`
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
CREATE EXTENSION leadgate;

-- An error as 'SQLSTATE: message | detail', so that the code is checked.
CREATE FUNCTION try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ': ' || msg || coalesce(nullif(' | ' || det, ' | '), '');
END $$;
CREATE TABLE defs AS SELECT :'r'::text AS r, :'p'::text AS p;

-- Declared properties: all IMMUTABLE PARALLEL SAFE (cache_stats aside),
-- STRICT only where a NULL argument has no meaning at all.
SELECT proname, provolatile, proparallel, proisstrict
FROM pg_proc WHERE pronamespace = 'leadgate'::regnamespace ORDER BY 1;

-- ---- score ------------------------------------------------------------------
-- L-000018: fit 2 + 3 + 3 + 1 = 9; demo 1.24 d old: 25; webinars
-- 1.7199 + 1.8482 + 3.0753 = 6.643; engagement 31.643, total 40.643.
SELECT s.* FROM defs, leadgate.score(r,
  '{"company": "Globex AB", "need": "medium", "timeframe_months": 2,
    "role": "Economic Buyer", "industry": "finance", "persona": "buyer",
    "employees": 27, "country": "IT", "email_opt_in": false, "source": "web form"}',
  '{webinar_attended,webinar_attended,webinar_attended,demo_requested}',
  '{2026-10-08T05:30:53Z,2026-10-11T08:14:05Z,2026-11-02T09:08:11Z,2026-11-22T04:10:25Z}',
  '2026-11-23T10:00:00Z') s;
-- fit 3 + 3 + 3 + 3 = 12; demo 1 d: 25; two downloads 14 d old: 2 x 1;
-- a webinar 30 d old: 2.5; one unsubscribe (no decay): -20; engagement
-- 9.5; 5 employees: knocked out by "too small".
SELECT s.* FROM defs, leadgate.score(r,
  '{"need": "HIGH", "timeframe_months": 2, "role": "decision maker", "industry": "SaaS",
    "employees": 5}',
  '{demo_requested,content_download,content_download,webinar_attended,unsubscribed}',
  '{2026-11-22T10:00:00Z,2026-11-09T10:00:00Z,2026-11-09T10:00:00Z,2026-10-24T10:00:00Z,2026-01-01T00:00:00Z}',
  '2026-11-23T10:00:00Z') s;
-- Types: "2" is text and matches no numeric `when`; 3.0 is the integer 3;
-- null is absent; the boolean industry is present, unmatched: otherwise 1.
SELECT s.* FROM defs, leadgate.score(r,
  '{"need": null, "timeframe_months": "2", "role": "Influencer", "industry": true}', NULL, NULL,
  '2026-11-23T10:00:00Z') s;
SELECT s.* FROM defs, leadgate.score(r, '{"timeframe_months": 3.0}', NULL, NULL,
  '2026-11-23T10:00:00Z') s;
-- JSON numbers read as integers: each equals the integer it is written as
-- (3.0 is 3, 1e3 is 1000), whatever its stored digits and scale
SELECT j, (leadgate.score(format(E'rubric "n"\nfit "n" from n\n  when %s -> 1\n  otherwise -> 0', v),
                          jsonb_build_object('n', j::jsonb), NULL, NULL, now())).fit AS equal
FROM (VALUES ('3.0', '3'), ('1e3', '1000'), ('100000000', '100000000'), ('-42', '-42'), ('0', '0'),
             ('0.000', '0'), ('10000.00', '10000'), ('-10000', '-10000'), ('99990000', '99990000'),
             ('123456789012345', '123456789012345'), ('-1000000000000000', '-1000000000000000'),
             ('1E+15', '1000000000000000'), ('20000.0000000', '20000')) t(j, v);
-- and past the rubric's own range, within bigint's
SELECT j, (leadgate.score(E'rubric "n"\nfit "big" from n\n  when > 1000000000000000 -> 1\n  when < -1000000000000000 -> 2\n  otherwise -> 0',
                          jsonb_build_object('n', j::jsonb), NULL, NULL, now())).fit AS side
FROM (VALUES ('9223372036854775807'), ('-9223372036854775808'), ('9223372036854775807.000'),
             ('1e18'), ('-4611686018427387904')) t(j);
SELECT j, try(format($q$SELECT leadgate.score(r, '{"n": %s}', NULL, NULL, now()) FROM defs$q$, j))
FROM (VALUES ('0.5'), ('1e-3'), ('10000.0001'), ('-0.00001'), ('9223372036854775808'), ('1e19'),
             ('-1e30'), ('123456789.5')) t(j);
-- One call site over rows whose keys and event types differ (what it
-- remembers of earlier rows changes nothing), a name that is an unread
-- attribute on one row and a read event type on another included.  By
-- hand: row 2's webinar 3 d ago is 5 * 2^(-3/30) = 4.665; row 4's
-- download 2 * 2^(-3/14) = 1.724; row 3 is too small; "need" and
-- "page_view" as event types are read by nothing.
SELECT i, s.fit, s.engagement, s.knocked_out, s.missing FROM defs, (VALUES
  (1, '{"need": "high", "role": "influencer"}'::jsonb, '{demo_requested}'::text[]),
  (2, '{"role": "influencer", "zzz": 1, "need": "low"}', '{webinar_attended,demo_requested}'),
  (3, '{"need": "high", "employees": 5, "page_view": true}', '{need,page_view}'),
  (4, '{"content_download": "x", "need": "medium"}', '{content_download}')) v(i, a, t),
  LATERAL leadgate.score(r, a, t, array_fill('2026-11-20T10:00:00Z'::timestamptz,
                                             ARRAY[cardinality(t)]), '2026-11-23T10:00:00Z') s
ORDER BY i;
-- More distinct keys and types than a call site remembers: 100 leads of
-- need high (3) and a demo (25) each.
SELECT count(*) AS leads, sum(s.fit) AS fit, sum(s.engagement) AS engagement FROM defs,
  generate_series(1, 100) i,
  leadgate.score(r, jsonb_build_object('k' || i, i, 'need', 'high'), ARRAY['e' || i, 'demo_requested'],
                 '{2026-11-20T10:00:00Z,2026-11-20T10:00:00Z}', '2026-11-23T10:00:00Z') s;
-- and a bad name after many good ones is still an error
SELECT try($q$SELECT count(s.fit) FROM defs, generate_series(1, 60) i, leadgate.score(r,
  jsonb_build_object(CASE WHEN i = 60 THEN 'Bad' ELSE 'k' || i END, i), NULL, NULL, now()) s$q$);
SELECT try($q$SELECT count(s.fit) FROM defs, generate_series(1, 60) i, leadgate.score(r, '{}',
  ARRAY[CASE WHEN i = 60 THEN 'Bad' ELSE 'e' || i END], ARRAY[now()], now()) s$q$);
-- Points are stored as numeric arithmetic stores them (the same bytes as
-- round(x, 3) of themselves), positive, negative and zero.
SELECT count(*) AS leads,
       count(*) FILTER (WHERE numeric_send(s.fit) = numeric_send(round(s.fit, 3))
                          AND numeric_send(s.engagement) = numeric_send(round(s.engagement, 3))
                          AND numeric_send(s.total) = numeric_send(round(s.total, 3))) AS canonical,
       count(*) FILTER (WHERE s.total < 0) AS negative, count(*) FILTER (WHERE s.total = 0) AS zero
FROM defs, generate_series(0, 3000) i,
  leadgate.score(r, CASE WHEN i % 3 = 0 THEN '{}' ELSE '{"need": "low"}' END::jsonb,
                 CASE WHEN i % 11 = 0 THEN NULL WHEN i % 2 = 1 THEN '{webinar_attended,unsubscribed}'
                      WHEN i % 7 = 0 THEN '{unsubscribed}' ELSE '{webinar_attended}' END::text[],
                 CASE WHEN i % 11 = 0 THEN NULL
                      WHEN i % 2 = 1 THEN ARRAY['2026-11-23T10:00:00Z'::timestamptz - i * interval '1 hour',
                                                '2026-11-01T00:00:00Z']
                      WHEN i % 7 = 0 THEN '{2026-11-01T00:00:00Z}'
                      ELSE ARRAY['2026-11-23T10:00:00Z'::timestamptz - i * interval '1 hour'] END,
                 '2026-11-23T10:00:00Z') s;
-- Events after `now` are ignored; the demo expires at 30 d exactly.
SELECT s.engagement FROM defs, leadgate.score(r, '{}', '{demo_requested}',
  '{2026-11-24T00:00:00Z}', '2026-11-23T10:00:00Z') s;
SELECT s.engagement FROM defs, leadgate.score(r, '{}', '{demo_requested}',
  '{2026-10-24T10:00:00Z}', '2026-11-23T10:00:00Z') s;
SELECT s.engagement FROM defs, leadgate.score(r, '{}', '{demo_requested}',
  '{2026-10-24T10:00:01Z}', '2026-11-23T10:00:00Z') s;
-- NULLs: no definition or no `now` gives NULL; no lead data is an empty lead.
SELECT leadgate.score(NULL, '{}', NULL, NULL, now()) IS NULL AS no_rubric,
       leadgate.score(r, '{}', NULL, NULL, NULL) IS NULL AS no_now FROM defs;
SELECT s.* FROM defs, leadgate.score(r, NULL, NULL, NULL, '2026-11-23T10:00:00Z') s;

-- ---- decide -----------------------------------------------------------------
-- L-000018 again: fit 9 >= 8 and a demo within 30 d: mql, grade B (>= 8).
-- next_at (when the decision may next change) is after `now`.
SELECT d.verdict, d.grade, d.stage, d.reason, d.fit, d.engagement, d.total, d.knocked_out,
       d.next_at > '2026-11-23T10:00:00Z' AS next_at_later, d.rubric_fingerprint,
       d.policy_fingerprint FROM defs, leadgate.decide(r, p,
  '{"need": "medium", "timeframe_months": 2, "role": "Economic Buyer", "industry": "finance",
    "persona": "buyer", "employees": 27}',
  '{webinar_attended,webinar_attended,webinar_attended,demo_requested}',
  '{2026-10-08T05:30:53Z,2026-10-11T08:14:05Z,2026-11-02T09:08:11Z,2026-11-22T04:10:25Z}',
  NULL, '2026-11-23T10:00:00Z') d;
-- fit 12 but no demo and engagement 0: nurture, the failing part named.
SELECT d.verdict, d.grade, d.stage, d.reason FROM defs, leadgate.decide(r, p,
  '{"need": "high", "timeframe_months": 2, "role": "decision maker", "industry": "saas"}',
  NULL, NULL, 'nurture', '2026-11-23T10:00:00Z') d;
-- A knockout disqualifies; a lead already in `sql` keeps its stage.
SELECT d.verdict, d.grade, d.stage, d.reason FROM defs, leadgate.decide(r, p,
  '{"persona": "Student"}', NULL, NULL, NULL, '2026-11-23T10:00:00Z') d;
SELECT d.verdict, d.stage FROM defs, leadgate.decide(r, p,
  '{"need": "high", "timeframe_months": 2, "role": "decision maker", "industry": "saas"}',
  '{demo_requested}', '{2026-11-20T00:00:00Z}', 'SQL', '2026-11-23T10:00:00Z') d;
SELECT st, d.stage AS recommended FROM defs,
  unnest('{new,nurture,mql,sal,sql,opportunity,won,lost,disqualified}'::text[]) st,
  leadgate.decide(r, p, '{"persona": "student"}', NULL, NULL, st, '2026-11-23T10:00:00Z') d;
-- No grade line holds: grade NULL; no qualify rule.
SELECT d.verdict, d.grade, d.reason FROM defs, leadgate.decide(r,
  E'policy "bare"\ngrade "A" when fit >= 10', '{}', NULL, NULL, NULL,
  '2026-11-23T10:00:00Z') d;
SELECT leadgate.decide(NULL, p, '{}', NULL, NULL, NULL, now()) IS NULL AS no_rubric,
       leadgate.decide(r, NULL, '{}', NULL, NULL, NULL, now()) IS NULL AS no_policy,
       leadgate.decide(r, p, '{}', NULL, NULL, NULL, NULL) IS NULL AS no_now FROM defs;
SELECT (d).rubric_fingerprint = leadgate.fingerprint(r) AS rubric_fp,
       (d).policy_fingerprint = leadgate.fingerprint(p) AS policy_fp
FROM (SELECT leadgate.decide(r, p, '{}', NULL, NULL, NULL, '2026-11-23T10:00:00Z') d FROM defs) x, defs;

-- ---- explain and next_question ----------------------------------------------
SELECT e.* FROM defs, leadgate.explain(r, '{"need": "low", "employees": 3}',
  '{content_download}', '{2026-11-09T10:00:00Z}', '2026-11-23T10:00:00Z') e;
SELECT count(*) FROM defs, leadgate.explain(NULL, '{}', NULL, NULL, now()) e;
SELECT count(*) FROM defs, leadgate.explain(r, '{}', NULL, NULL, NULL) e;
-- Three missing attributes worth 3 each: the tie goes to rubric order.
SELECT leadgate.next_question(r, '{"need": "high"}') FROM defs;
SELECT leadgate.next_question(r, NULL) FROM defs;
SELECT leadgate.next_question(r, '{"need": "x", "timeframe_months": 1, "role": "x",
  "industry": "x"}') IS NULL AS nothing_missing FROM defs;
SELECT leadgate.next_question(NULL, '{}') IS NULL AS no_rubric;

-- ---- sla ----------------------------------------------------------------------
-- 48 business hours on Mon-Fri 09:00-17:30 (+01:00), Sat 10:00-13:00.
-- L-000018: assigned Fri 20th 10:00 local, 12.5 h by now: running;
-- escalate (36 h) at Wed 25th 17:30 local; due Fri 27th 12:30 local.
SELECT s.* FROM defs, leadgate.sla(p, '{rep-ana}', '{2026-11-20T09:00:00Z}', NULL, NULL,
  '2026-11-23T10:00:00Z') s;
-- L-000023: Tue 17th 09:00 local, 39 h: warning / escalate; due Tue 24th.
SELECT s.* FROM defs, leadgate.sla(p, '{rep-chloe}', '{2026-11-17T08:00:00Z}', NULL, NULL,
  '2026-11-23T10:00:00Z') s;
-- ... with escalate recorded: the step is hidden, the next is remind at 48 h.
SELECT s.* FROM defs, leadgate.sla(p, '{rep-chloe}', '{2026-11-17T08:00:00Z}', NULL,
  '{Escalate}', '2026-11-23T10:00:00Z') s;
-- L-000047: dmitri, then elena Fri 13th 15:00 local: breached, reassign.
SELECT s.* FROM defs, leadgate.sla(p, '{rep-dmitri,rep-elena}',
  '{2026-11-09T08:00:00Z,2026-11-13T14:00:00Z}', NULL, NULL, '2026-11-23T10:00:00Z') s;
-- L-000019: touched after 4h35m: met; L-000102: touched at 52.5 h: met_late.
SELECT s.state, s.action, s.elapsed, s.next_at FROM defs, leadgate.sla(p, '{rep-x}',
  '{2026-11-19T09:30:00Z}', '{2026-11-19T14:05:00Z}', NULL, '2026-11-23T10:00:00Z') s;
SELECT s.state, s.elapsed, s.remaining FROM defs, leadgate.sla(p, '{rep-dmitri}',
  '{2026-11-10T08:00:00Z}', '{2026-11-17T15:00:00Z}', NULL, '2026-11-23T10:00:00Z') s;
-- Untouched assignments in touched_at are NULL elements.
SELECT s.state, s.reassignments FROM defs, leadgate.sla(p, '{a,b}',
  '{2026-11-19T09:30:00Z,2026-11-20T09:30:00Z}', '{2026-11-19T10:00:00Z,NULL}', NULL,
  '2026-11-23T10:00:00Z') s;
-- Not assigned: none; NULL policy or now: NULL.
SELECT s.* FROM defs, leadgate.sla(p, NULL, NULL, NULL, NULL, '2026-11-23T10:00:00Z') s;
SELECT s.* FROM defs, leadgate.sla(p, '{}', '{}', '{}', '{}', '2026-11-23T10:00:00Z') s;
SELECT leadgate.sla(NULL, '{a}', '{2026-11-19T09:30:00Z}', NULL, NULL, now()) IS NULL AS no_policy,
       leadgate.sla(p, '{a}', '{2026-11-19T09:30:00Z}', NULL, NULL, NULL) IS NULL AS no_now
FROM defs;

-- ---- calendars --------------------------------------------------------------
CREATE TABLE cal AS SELECT E'utc-offset +01:00\nhours mon-fri 09:00-17:30\nhours sat 10:00-13:00\nholiday 2026-12-25'::text AS c;
-- Fri 20th 10:00 local + 48 h: 7.5 + 3 + 4 x 8.5 = 44.5, + 3.5 on Fri 27th.
SELECT leadgate.calendar_add(c, '2026-11-20T09:00:00Z', '48 hours') FROM cal;
SELECT leadgate.calendar_add(c, '2026-11-20T09:00:00Z', '2 days') FROM cal;
SELECT leadgate.calendar_add(c, '2026-11-20T09:00:00Z', '0') FROM cal;
-- Ends at closing time exactly: that closing time (Mon 17:30 local).
SELECT leadgate.calendar_add(c, '2026-11-23T08:00:00Z', '8 hours 30 minutes') FROM cal;
-- Mon 10:00 local to Tue 10:00 local: 7.5 h + 1 h; b before a: 0.
SELECT leadgate.calendar_between(c, '2026-11-23T09:00:00Z', '2026-11-24T09:00:00Z') FROM cal;
SELECT leadgate.calendar_between(c, '2026-11-24T09:00:00Z', '2026-11-23T09:00:00Z') FROM cal;
-- The holiday is closed: Thu 24th 17:30 to Sat 26th 10:00 local is 0.
SELECT leadgate.calendar_between(c, '2026-12-24T16:30:00Z', '2026-12-26T09:00:00Z') FROM cal;
SELECT leadgate.calendar_add(NULL, now(), '1 hour') IS NULL AS strict_add,
       leadgate.calendar_between(c, NULL, now()) IS NULL AS strict_between FROM cal;

-- ---- canonical and fingerprint ------------------------------------------------
SELECT leadgate.canonical(E'rubric "x"  # a comment\n\nengagement "c" on content_download -> 2.50 each half-life 14d\n');
SELECT leadgate.canonical(E'# policy without a header line\nqualify when fit>=8');
SELECT leadgate.canonical('');
SELECT leadgate.fingerprint(E'rubric "x"\nengagement "c" on content_download -> 2.5 each half-life 2w')
     = leadgate.fingerprint(E'rubric  "x"\n  engagement "c" on content_download -> 2.50 each half-life 14d # same')
       AS same_fingerprint;
SELECT leadgate.fingerprint(r) = (SELECT leadgate.fingerprint(leadgate.canonical(r))) AS canonical_fp,
       length(leadgate.fingerprint(p)) AS hex_digits FROM defs;
SELECT leadgate.canonical(NULL) IS NULL AS strict_canonical, leadgate.fingerprint(NULL) IS NULL AS strict_fp;

-- ---- errors: definitions (42601, line and column in the detail) ------------------
SELECT try($q$SELECT leadgate.score(E'rubric "x"\nfit "a" from a\n  when "x" 3', '{}', NULL, NULL, now())$q$);
SELECT try($q$SELECT leadgate.decide(r, E'policy "p"\nqualify when fit >>= 8', '{}', NULL, NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(E'follow-up within 0h', NULL, NULL, NULL, NULL, now())$q$);
SELECT try($q$SELECT leadgate.calendar_add(E'hours mon-fri 09:00-25:00', now(), '1h')$q$);
SELECT try($q$SELECT leadgate.canonical(E'fit "a" from a\n  when "x" -> 2000000')$q$);
SELECT try($q$SELECT leadgate.fingerprint(E'policy "a"\npolicy "b"')$q$);
-- ---- errors: attrs (22023, naming the key) ----------------------------------------
SELECT try($q$SELECT leadgate.score(r, '[1, 2]', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '"high"', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"Need": "high"}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"need": {"level": "high"}}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"need": ["high"]}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"employees": 2.5}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"employees": 9223372036854775808}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{"employees": -9223372036854775809}', NULL, NULL, now()) FROM defs$q$);
SELECT s.missing FROM defs, leadgate.score(r, '{"employees": -9223372036854775808}', NULL, NULL, now()) s;
SELECT try($q$SELECT leadgate.score(r, jsonb_build_object('notes', repeat('x', 1025)), NULL, NULL, now()) FROM defs$q$);
SELECT s.missing FROM defs, leadgate.score(r, jsonb_build_object('notes', repeat('x', 1024)), NULL, NULL, now()) s;
SELECT try($q$SELECT leadgate.score(r, (SELECT jsonb_object_agg('a' || i, i) FROM generate_series(1, 257) i), NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.next_question(r, '{"a-b": 1}') FROM defs$q$);
-- ---- errors: events ---------------------------------------------------------------
SELECT try($q$SELECT leadgate.score(r, '{}', '{demo_requested}', '{}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{demo_requested}', NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{Demo}', '{2026-01-01T00:00:00Z}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{NULL}', '{2026-01-01T00:00:00Z}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{demo_requested}', '{NULL}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{{demo_requested}}', '{{2026-01-01T00:00:00Z}}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', array_fill('demo_requested'::text, '{10001}'), array_fill(now(), '{10001}'), now()) FROM defs$q$);
-- ---- errors: times (22008) ------------------------------------------------------------
SELECT try($q$SELECT leadgate.score(r, '{}', NULL, NULL, 'infinity') FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', NULL, NULL, '0044-03-15 BC') FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', NULL, NULL, '10000-01-01') FROM defs$q$);
SELECT try($q$SELECT leadgate.score(r, '{}', '{demo_requested}', '{-infinity}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.decide(r, p, '{}', '{demo_requested}', '{10000-01-01}', NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{infinity}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.calendar_add('hours mon 09:00-10:00', '9999-12-27', '2 hours')$q$);
SELECT try($q$SELECT leadgate.calendar_add('', now(), '1 second')$q$);
SELECT try($q$SELECT leadgate.calendar_between('', '0001-01-01 BC', now())$q$);
-- ---- errors: stages, intervals, assignments ----------------------------------------------
SELECT try($q$SELECT leadgate.decide(r, p, '{}', NULL, NULL, 'customer', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.calendar_add('', now(), '1 month')$q$);
SELECT try($q$SELECT leadgate.calendar_add('', now(), '1.5 seconds')$q$);
SELECT try($q$SELECT leadgate.calendar_add('', now(), '-1 hour')$q$);
SELECT leadgate.calendar_add('hours mon-sun 00:00-24:00', '2026-11-23', '1 day -1 hour');
SELECT try($q$SELECT leadgate.sla(p, '{a,b}', '{2026-11-20T00:00:00Z,2026-11-19T00:00:00Z}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{2026-11-20T00:00:00Z}', '{2026-11-19T00:00:00Z}', NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{""}', '{2026-11-20T00:00:00Z}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{2026-11-20T00:00:00Z}', '{}', NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{NULL}', '{2026-11-20T00:00:00Z}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{NULL}', NULL, NULL, now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{2026-11-20T00:00:00Z}', NULL, '{none}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{2026-11-20T00:00:00Z}', NULL, '{call}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, '{a}', '{2026-11-20T00:00:00Z}', NULL, '{NULL}', now()) FROM defs$q$);
SELECT try($q$SELECT leadgate.sla(p, NULL, NULL, NULL, '{warn}', now()) FROM defs$q$);
-- (the same owner at the same instant twice is one assignment: a repeated
-- feed row)
SELECT s.reassignments FROM defs, leadgate.sla(p, '{a,a}', '{2026-11-20T00:00:00Z,2026-11-20T00:00:00Z}', NULL, NULL, now()) s;
SELECT try($q$SELECT leadgate.sla(p, (SELECT array_agg('rep-' || i) FROM generate_series(1, 1001) i),
  (SELECT array_agg('2026-01-01T00:00:00Z'::timestamptz + i * interval '1 minute') FROM generate_series(1, 1001) i),
  NULL, NULL, now()) FROM defs$q$);

-- ---- allocation failures: every one is ERROR 53200, then it works --------------------
-- Round n fails the library's n-th allocation from the start of the call,
-- until a round gets through.  Each round uses new definitions (a comment
-- with the round number makes the text new), so parsing is swept too.
CREATE TABLE sweep_log (n int, outcome text);
CREATE FUNCTION sweep(q text) RETURNS TABLE (outcome text, rounds bigint) LANGUAGE plpgsql AS $$
DECLARE n int := 0; res text;
BEGIN
  TRUNCATE sweep_log;
  LOOP
    PERFORM set_config('leadgate.debug_fail_allocation_after', n::text, false);
    res := try(format(q, n));
    INSERT INTO sweep_log VALUES (n, res);
    EXIT WHEN res = 'ok' OR n >= 10000;
    n := n + 1;
  END LOOP;
  PERFORM set_config('leadgate.debug_fail_allocation_after', '-1', false);
  RETURN QUERY SELECT l.outcome, count(*) FROM sweep_log l GROUP BY l.outcome ORDER BY 1;
END $$;
SELECT outcome, rounds > 5 AS several FROM sweep($q$SELECT leadgate.decide(r || E'\n# %1$s',
  p || E'\n# %1$s', '{"need": "high", "role": "economic buyer", "notes": "long enough to need its own block"}',
  '{demo_requested,webinar_attended,content_download}',
  '{2026-11-20T00:00:00Z,2026-11-21T00:00:00Z,2026-11-22T00:00:00Z}', 'sal',
  '2026-11-23T10:00:00Z') FROM defs$q$);
SELECT outcome, rounds > 5 AS several FROM sweep($q$SELECT leadgate.sla(p || E'\n# %1$s',
  '{rep-a,rep-b}', '{2026-11-19T09:30:00Z,2026-11-20T09:30:00Z}', '{NULL,2026-11-21T09:30:00Z}',
  '{warn}', '2026-11-23T10:00:00Z') FROM defs$q$);
SELECT outcome, rounds > 1 AS several FROM sweep($q$SELECT leadgate.calendar_add(E'# %1$s\nhours mon-fri 09:00-17:00\nholiday 2026-12-25',
  '2026-11-20T09:00:00Z', '48 hours')$q$);
SELECT outcome, rounds > 1 AS several FROM sweep($q$SELECT leadgate.explain(r || E'\n# %1$s',
  '{"need": "high"}', '{demo_requested}', '{2026-11-20T00:00:00Z}', '2026-11-23T10:00:00Z') FROM defs$q$);
-- a failed parse leaves no context behind: one per cached definition
SELECT (SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'leadgate definition')
     = entries AS no_orphans FROM leadgate.cache_stats();

-- ---- the definition cache: bounded, memory released ---------------------------------
SELECT entries <= 64 AS bounded FROM leadgate.cache_stats();
SELECT count(*) FROM defs, generate_series(1, 300) i,
  leadgate.score(r || E'\n# variant ' || i, '{}', NULL, NULL, '2026-11-23T10:00:00Z') s;
SELECT entries, bytes < 64 * 1024 * 1024 AS within_memory FROM leadgate.cache_stats();
-- one context per cached definition, as many as entries
SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'leadgate definition';
CREATE TABLE mem (step text, contexts bigint, bytes bigint);
INSERT INTO mem SELECT 'after 300', count(*), sum(total_bytes) FROM pg_backend_memory_contexts;
SELECT count(*) FROM defs, generate_series(301, 3300) i,
  leadgate.score(r || E'\n# variant ' || i, '{}', NULL, NULL, '2026-11-23T10:00:00Z') s;
INSERT INTO mem SELECT 'after 3300', count(*), sum(total_bytes) FROM pg_backend_memory_contexts;
-- 3000 more distinct rubrics: the same number of contexts, and memory
-- within 256 kB (plan and catalog caches of the queries above aside)
SELECT b.contexts - a.contexts AS more_contexts, b.bytes - a.bytes < 256 * 1024 AS no_growth
FROM mem a, mem b WHERE a.step = 'after 300' AND b.step = 'after 3300';
SET leadgate.cache_entries = 4;
SELECT count(*) FROM defs, generate_series(1, 10) i,
  leadgate.decide(r || E'\n# ' || i, p || E'\n# ' || i, '{}', NULL, NULL, NULL, '2026-11-23T10:00:00Z') d;
SELECT entries FROM leadgate.cache_stats();
SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'leadgate definition';
-- a bound of one still keeps both definitions of the call being made
SET leadgate.cache_entries = 1;
SELECT d.verdict FROM defs, leadgate.decide(r, p || E'\n# x', '{}', NULL, NULL, NULL, '2026-11-23T10:00:00Z') d;
SELECT entries FROM leadgate.cache_stats();
SET leadgate.cache_memory = '64kB';
SELECT count(*) FROM defs, generate_series(1, 20) i,
  leadgate.score(r || E'\n# ' || i, '{}', NULL, NULL, '2026-11-23T10:00:00Z') s;
SELECT entries FROM leadgate.cache_stats();
RESET leadgate.cache_entries;
RESET leadgate.cache_memory;

-- ---- no leak across errors ------------------------------------------------------
-- 3000 errors raised half way through building a lead (after attributes
-- and events were added) leave the backend's memory as it was.
CREATE FUNCTION failing_calls(k int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE i int; failed int := 0;
BEGIN
  FOR i IN 1..k LOOP
    BEGIN
      PERFORM leadgate.score(r, '{"need": "high", "role": "x"}', '{demo_requested,Bad}',
                             '{2026-11-20T00:00:00Z,2026-11-21T00:00:00Z}', now()) FROM defs;
    EXCEPTION WHEN invalid_parameter_value THEN failed := failed + 1;
    END;
  END LOOP;
  RETURN failed;
END $$;
SELECT failing_calls(100);
INSERT INTO mem SELECT 'errors 100', count(*), sum(total_bytes) FROM pg_backend_memory_contexts;
SELECT failing_calls(3000);
INSERT INTO mem SELECT 'errors 3100', count(*), sum(total_bytes) FROM pg_backend_memory_contexts;
SELECT b.bytes - a.bytes < 64 * 1024 AS no_leak
FROM mem a, mem b WHERE a.step = 'errors 100' AND b.step = 'errors 3100';

DROP EXTENSION leadgate;
