-- sample.sql - loads a leads CSV and an events CSV (examples/data layout,
-- as leadgate-triage reads them) into
--   leads(ord, id, attrs jsonb, event_types text[], event_times timestamptz[])
-- with the cells typed as leadgate-triage types them: empty is absent,
-- an optional '-' and digits within int64 is an integer, exactly true or
-- false is a boolean, anything else text; an event's `at` is ISO 8601 or
-- epoch seconds.  Run by psql after the raw tables were filled (COPY ...
-- FROM STDIN, see sample.sh); events of leads not in the file are dropped.
CREATE FUNCTION pg_temp.cell(v text) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN v IS NULL OR v = '' THEN NULL
    WHEN v ~ '^-?[0-9]+$' AND length(ltrim(v, '-0')) <= 19
         AND v::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
      THEN to_jsonb(v::numeric)
    WHEN v IN ('true', 'false') THEN to_jsonb(v::boolean)
    ELSE to_jsonb(v)
  END $$;

CREATE TABLE leads AS
SELECT r.ord, r.id,
       coalesce((SELECT jsonb_object_agg(key, pg_temp.cell(value))
                   FILTER (WHERE pg_temp.cell(value) IS NOT NULL)
                 FROM jsonb_each_text(to_jsonb(r) - 'ord' - 'id')), '{}') AS attrs,
       e.event_types, e.event_times
FROM leads_raw r
LEFT JOIN (
  SELECT lead_id, array_agg(type ORDER BY at, ord) AS event_types,
         array_agg(at ORDER BY at, ord) AS event_times
  FROM (SELECT ord, lead_id, type,
               CASE WHEN at ~ '^-?[0-9]+$' THEN to_timestamp(at::bigint) ELSE at::timestamptz END AS at
        FROM events_raw) ev
  GROUP BY lead_id) e ON e.lead_id = r.id;
DROP TABLE leads_raw, events_raw;
ALTER TABLE leads ADD PRIMARY KEY (id);
ANALYZE leads;
