-- triage.sql - leadgate-triage's output (with --explain), computed by the
-- extension over table `leads`: psql -At -v rubric=... -v policy=... -v now=...
CREATE FUNCTION pg_temp.csv_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v ~ E'[",\r\n]' THEN '"' || replace(v, '"', '""') || '"' ELSE v END $$;
SELECT line FROM (
  SELECT 0 AS ord, 'id,fit,engagement,total,knocked_out,grade,verdict,reason,explain' AS line
  UNION ALL
  SELECT l.ord, concat_ws(',', pg_temp.csv_field(l.id), d.fit, d.engagement, d.total,
           CASE WHEN d.knocked_out THEN 1 ELSE 0 END, pg_temp.csv_field(coalesce(d.grade, '')),
           d.verdict, pg_temp.csv_field(d.reason), pg_temp.csv_field(x.explain))
  FROM leads l,
       leadgate.decide(:'rubric', :'policy', l.attrs, l.event_types, l.event_times, NULL, :'now') d,
       LATERAL (
         SELECT coalesce(concat_ws(';',
                  string_agg(CASE WHEN e.kind = 'knockout' THEN 'knockout:' || e.criterion
                                  ELSE e.criterion || '=' || e.points END, ';' ORDER BY e.n)
                    FILTER (WHERE e.kind = 'fit' OR e.points <> 0),
                  'next=' || leadgate.next_question(:'rubric', l.attrs)), '') AS explain
         FROM leadgate.explain(:'rubric', l.attrs, l.event_types, l.event_times, :'now')
              WITH ORDINALITY e(criterion, attribute, kind, missing, points, max_points, n)) x
) rows ORDER BY ord;
