-- expect.sql - psql: \i this file, then pg_temp.expect(ok, what) raises
-- 'FAIL: what' unless ok (psql stops on the error: ON_ERROR_STOP).
CREATE OR REPLACE FUNCTION pg_temp.expect(ok boolean, what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN IF ok IS NOT TRUE THEN RAISE EXCEPTION 'FAIL: %', what; END IF; END $$;
