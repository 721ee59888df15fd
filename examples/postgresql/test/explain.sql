-- explain.sql - psql: \set explain 'EXPLAIN (...) SELECT ...' then \i this
-- file: the plan goes into temp table plan(n, line), one row per line,
-- and is printed with the text constants (the definitions) as '...'.
SET client_min_messages = warning;
DROP TABLE IF EXISTS plan;
RESET client_min_messages;
CREATE OR REPLACE FUNCTION pg_temp.plan_of(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN RETURN QUERY EXECUTE q; END $$;
CREATE TEMP TABLE plan AS SELECT n, line FROM pg_temp.plan_of(:'explain') WITH ORDINALITY AS p(line, n);
\pset tuples_only on
\pset format unaligned
SELECT regexp_replace(string_agg(line, E'\n' ORDER BY n), '''([^'']|'''')*''::text', '''...''::text', 'g')
FROM plan;
\pset tuples_only off
\pset format aligned
