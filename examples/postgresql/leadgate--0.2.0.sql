-- leadgate 0.2.0: lead scoring, MQL qualification and follow-up SLAs.
-- Every function is IMMUTABLE PARALLEL SAFE: the caller passes `now`.
-- NULL lead data means "none" (no attributes, no events, stage new, no
-- assignments); a NULL definition or `now` gives NULL.

\echo Use "CREATE EXTENSION leadgate" to load this file. \quit

CREATE TYPE leadgate.score AS (
  fit         numeric,  -- points, three decimals
  engagement  numeric,
  total       numeric,
  knocked_out boolean,
  knockout    text,     -- the first knockout that matched, else NULL
  missing     integer   -- fit criteria whose attribute is absent
);

CREATE TYPE leadgate.decision AS (
  verdict            text,  -- nurture | mql | disqualify
  grade              text,  -- NULL when no grade line holds
  stage              text,  -- recommended stage; never backwards
  reason             text,  -- canonical text of the deciding rule
  fit                numeric,
  engagement         numeric,
  total              numeric,
  knocked_out        boolean,
  next_at            timestamptz,
  rubric_fingerprint text,  -- 16 hex digits
  policy_fingerprint text
);

CREATE TYPE leadgate.sla_status AS (
  state         text,  -- none | running | warning | breached | met | met_late
  action        text,  -- none | warn | remind | escalate | reassign | recycle
  started_at    timestamptz,
  due_at        timestamptz,
  next_at       timestamptz,  -- when state or action next change; NULL: never
  elapsed       interval,
  remaining     interval,     -- negative when late
  reassignments integer
);

CREATE FUNCTION leadgate.score(rubric text, attrs jsonb, event_types text[],
                               event_times timestamptz[], now timestamptz)
RETURNS leadgate.score
AS 'MODULE_PATHNAME', 'lg_pg_score'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;

CREATE FUNCTION leadgate.decide(rubric text, policy text, attrs jsonb, event_types text[],
                                event_times timestamptz[], stage text, now timestamptz)
RETURNS leadgate.decision
AS 'MODULE_PATHNAME', 'lg_pg_decide'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;

CREATE FUNCTION leadgate.explain(rubric text, attrs jsonb, event_types text[],
                                 event_times timestamptz[], now timestamptz)
RETURNS TABLE (criterion text, attribute text, kind text, missing boolean,
               points numeric, max_points numeric)
AS 'MODULE_PATHNAME', 'lg_pg_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10 ROWS 10;

CREATE FUNCTION leadgate.next_question(rubric text, attrs jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'lg_pg_next_question'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;

CREATE FUNCTION leadgate.sla(policy text, owners text[], assigned_at timestamptz[],
                             touched_at timestamptz[], recorded_actions text[],
                             now timestamptz)
RETURNS leadgate.sla_status
AS 'MODULE_PATHNAME', 'lg_pg_sla'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;

CREATE FUNCTION leadgate.calendar_add(calendar text, start timestamptz, d interval)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'lg_pg_calendar_add'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION leadgate.calendar_between(calendar text, a timestamptz, b timestamptz)
RETURNS interval
AS 'MODULE_PATHNAME', 'lg_pg_calendar_between'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION leadgate.canonical(rubric_or_policy text)
RETURNS text
AS 'MODULE_PATHNAME', 'lg_pg_canonical'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION leadgate.fingerprint(rubric_or_policy text)
RETURNS text
AS 'MODULE_PATHNAME', 'lg_pg_fingerprint'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- What this backend's definition cache holds (bounded by the settings
-- leadgate.cache_entries and leadgate.cache_memory).  VOLATILE: it changes
-- as definitions are parsed and evicted.
CREATE FUNCTION leadgate.cache_stats(OUT entries integer, OUT bytes bigint)
AS 'MODULE_PATHNAME', 'lg_pg_cache_stats'
LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
