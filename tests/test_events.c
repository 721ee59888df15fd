/*
 * test_events.c - leadgate-triage's events index (examples/cli/events.c):
 * the events and messages it keeps for crafted files, the same with the
 * fast path for plain rows and with the CSV reader alone
 * (LEADGATE_TRIAGE_READER=1), on 1, 2 and 3 threads and with chunks of
 * every size from a few bytes up (LEADGATE_TRIAGE_CHUNK), so that parts
 * and chunks start and end everywhere, a change of date included.
 *
 * The expected transcripts were written by hand from the rules (csv.h,
 * lg_time_parse in leadgate.h); the epoch seconds of the times come from
 * Python's calendar.timegm.  A transcript lists the bad rows as
 * "LINE:COL why", then each lead id asked for and its events in file
 * order as type@seconds.
 */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events.h"

/* ---- transcripts ----------------------------------------------------------- */

static void on_bad(void *ctx, const char *file, unsigned long line, unsigned long col,
                   const char *why) {
  (void)file;
  fprintf(ctx, "%lu:%lu %s\n", line, col, why);
}

/* Loads the events of path[] (bytes data[0..len) written there first) on
 * `threads` threads and returns the transcript for ids[0..n_ids). */
static char *transcript(const char *data, size_t len, unsigned threads, const char *const *ids,
                        size_t n_ids) {
  const char  *tmp = getenv("TMPDIR");
  char         path[512];
  int          fd;
  FILE        *fp;
  cli_csv      c;
  events_index x;
  pool        *p;
  char        *text = NULL;
  size_t       text_len = 0;
  FILE        *out = open_memstream(&text, &text_len);
  size_t       i;
  snprintf(path, sizeof path, "%s/test_events.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  fd = mkstemp(path);
  assert_true(fd >= 0);
  fp = fdopen(fd, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(data, 1, len, fp), len);
  assert_int_equal(fclose(fp), 0);
  assert_non_null(out);
  p = pool_create(threads);
  assert_non_null(p);
  cli_csv_open(&c, path, "lead_id,type,at");
  events_load(&x, &c, p, on_bad, out);
  cli_csv_close(&c);
  for (i = 0; i < n_ids; i++) {
    const uint64_t *e, *end;
    events_find(&x, ids[i], strlen(ids[i]), hash_key(ids[i], strlen(ids[i])), &e, &end);
    fprintf(out, "%.24s:", ids[i]);
    for (; e && e < end; e++)
      fprintf(out, " %s@%lld", strmap_key(&x.types, ev_type(*e)), (long long)ev_at(*e));
    fprintf(out, "\n");
  }
  events_free(&x);
  pool_free(p);
  remove(path);
  assert_int_equal(fclose(out), 0);
  return text;
}

/* The transcript must be `want` with the fast path and with the reader
 * alone, on 1, 2 and 3 threads, with default chunks and with chunks of
 * 1, 2, 3, ... bytes a thread up to the whole file (a step of `step`). */
static void loads_as(const char *data, size_t len, const char *const *ids, size_t n_ids,
                     const char *want, size_t step) {
  static const char *const modes[2] = { "0", "1" };
  int                      m;
  unsigned                 t;
  size_t                   chunk;
  char                     num[32];
  for (m = 0; m < 2; m++) {
    assert_int_equal(setenv("LEADGATE_TRIAGE_READER", modes[m], 1), 0);
    for (t = 1; t <= 3; t++)
      for (chunk = 0; chunk <= len + step; chunk += chunk ? step : 1) {
        char *got;
        if (chunk == 0)
          unsetenv("LEADGATE_TRIAGE_CHUNK");
        else {
          snprintf(num, sizeof num, "%lu", (unsigned long)chunk);
          assert_int_equal(setenv("LEADGATE_TRIAGE_CHUNK", num, 1), 0);
        }
        got = transcript(data, len, t, ids, n_ids);
        if (strcmp(got, want) != 0)
          fail_msg("reader=%s threads=%u chunk=%lu:\n%s\nwanted:\n%s", modes[m], t,
                   (unsigned long)chunk, got, want);
        free(got);
      }
  }
  unsetenv("LEADGATE_TRIAGE_READER");
  unsetenv("LEADGATE_TRIAGE_CHUNK");
}

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* ---- times ------------------------------------------------------------------- */

static void times_that_look_plain_but_are_not_valid(void **state) {
  static const char data[] = "lead_id,type,at\n"
                             "a,open,2024-02-29T23:59:59Z\n" /* leap day */
                             "a,open,2024-02-29T00:00:00Z\n" /* the same day again */
                             "a,open,2023-02-29T10:00:00Z\n" /* not a leap year */
                             "b,open,2024-13-01T00:00:00Z\n"
                             "b,open,2024-12-31T24:00:00Z\n"
                             "b,open,2024-02-29T23:60:00Z\n" /* the cached day, bad time */
                             "b,open,2024-02-29T23:59:60Z\n" /* a leap second */
                             "b,open,2024-02-29T1a:00:00Z\n"
                             "b,open,2024-02-29T10:00:00\n"
                             "b,open,2024-02-29 10:00:00Z\n"
                             "b,open,1900-02-29T00:00:00Z\n"
                             "c,open,2024-02-29T10:00:00.5Z\n"    /* a fraction */
                             "c,open,2024-02-29T10:00:00+01:00\n" /* an offset */
                             "c,open,2024-02-29T10:00:00z\n"
                             "c,open,1709200801\n" /* epoch seconds */
                             "c,open,2000-02-29T12:00:00Z\n"
                             "c,open,1900-03-01T00:00:00Z\n"
                             "c,open,9999-12-31T23:59:59Z\n"
                             "c,open,0001-01-01T00:00:00Z\n"
                             "c,open,2024-03-01T00:00:00Z\n" /* the day after the leap day */
                             "c,open,2024-02-29T00:00:01Z\n"
                             "c,open,2024-02-29T24:00:00Z\n" /* the cached day, hour 24 */
                             "c,open,2024-02-28T00:00:02Z\n" /* the 9th byte differs */
                             "c,open,2024-02-19T00:00:03Z\n" /* the 10th */
                             "c,open,2024-02-19T00:00:04Z\n"
                             "d,open,0\n" /* 27: epoch seconds */
                             "d,open,000000000001\n"
                             "d,open,253402300799\n" /* the last second of 9999 */
                             "d,open,253402300800\n"
                             "d,open,0253402300799\n" /* 13 digits */
                             "d,open,9999999999999\n"
                             "d,open,+5\n"
                             "d,open,-62135596800\n"
                             "d,open,-62135596801\n"
                             "d,open,12a\n"
                             "d,open,\n";
  static const char *const ids[] = { "a", "b", "c", "d" };
  static const char        why[] =
      " is not epoch seconds or ISO 8601 like 2026-11-18T09:30:00Z (or +01:00 for the zone)\n";
  char want[4096];
  (void)state;
  snprintf(want, sizeof want,
           "4:8 at '2023-02-29T10:00:00Z'%s"
           "5:8 at '2024-13-01T00:00:00Z'%s"
           "6:8 at '2024-12-31T24:00:00Z'%s"
           "7:8 at '2024-02-29T23:60:00Z'%s"
           "8:8 at '2024-02-29T23:59:60Z'%s"
           "9:8 at '2024-02-29T1a:00:00Z'%s"
           "10:8 at '2024-02-29T10:00:00'%s"
           "11:8 at '2024-02-29 10:00:00Z'%s"
           "12:8 at '1900-02-29T00:00:00Z'%s"
           "15:8 at '2024-02-29T10:00:00z'%s"
           "23:8 at '2024-02-29T24:00:00Z'%s"
           "30:8 at '253402300800' is out of range (after 9999-12-31)\n"
           "32:8 at '9999999999999' is out of range (after 9999-12-31)\n"
           "35:8 at '-62135596801' is out of range (before 0001-01-01)\n"
           "36:8 at '12a'%s"
           "37:8 at ''%s"
           "a: open@1709251199 open@1709164800\n"
           "b:\n"
           "c: open@1709200800 open@1709197200 open@1709200801 open@951825600 "
           "open@-2203891200 open@253402300799 open@-62135596800 open@1709251200 "
           "open@1709164801 open@1709078402 open@1708300803 open@1708300804\n"
           "d: open@0 open@1 open@253402300799 open@253402300799 open@5 open@-62135596800\n",
           why, why, why, why, why, why, why, why, why, why, why, why, why);
  loads_as(data, sizeof data - 1, ids, N_OF(ids), want, 1);
}

/* Times in the hour of the one before take only their minutes and
 * seconds from the cell: every other byte there must still be right. */
static void times_in_the_hour_of_the_one_before(void **state) {
  static const char data[] = "lead_id,type,at\n"
                             "a,open,2024-02-29T23:00:00Z\n"
                             "a,open,2024-02-29T23:59:59Z\n" /* the hour's last second */
                             "b,open,2024-02-29T23:60:00Z\n"
                             "b,open,2024-02-29T23:59:60Z\n"
                             "b,open,2024-02-29T23:5a:00Z\n"
                             "b,open,2024-02-29T23:00:0aZ\n"
                             "b,open,2024-02-29T23:00-00Z\n"
                             "b,open,2024-02-29T23:00:00z\n"
                             "b,open,2024-02-29T23:00:00ZZ\n"
                             "b,open,2024-02-29T23:000:0Z\n"
                             "b,open,2024-02-29T23:/0:00Z\n"
                             "a,open,2024-02-29T23:00:01Z\n"
                             "a,open,2024-02-29T22:30:00Z\n" /* the day's, another hour */
                             "a,open,2024-02-29T22:30:01Z\n" /* that hour */
                             "a,open,2024-02-29T22:59:09Z\n"
                             "b,open,2024-02-29T22:6:001Z\n"
                             "a,open,9999-12-31T23:00:00Z\n"
                             "a,open,9999-12-31T23:59:58Z\n"
                             "a,open,2024-03-01T00:00:00Z\n";
  static const char *const ids[] = { "a", "b" };
  static const char        why[] =
      " is not epoch seconds or ISO 8601 like 2026-11-18T09:30:00Z (or +01:00 for the zone)\n";
  char want[4096];
  (void)state;
  snprintf(want, sizeof want,
           "4:8 at '2024-02-29T23:60:00Z'%s"
           "5:8 at '2024-02-29T23:59:60Z'%s"
           "6:8 at '2024-02-29T23:5a:00Z'%s"
           "7:8 at '2024-02-29T23:00:0aZ'%s"
           "8:8 at '2024-02-29T23:00-00Z'%s"
           "9:8 at '2024-02-29T23:00:00z'%s"
           "10:8 at '2024-02-29T23:00:00ZZ'%s"
           "11:8 at '2024-02-29T23:000:0Z'%s"
           "12:8 at '2024-02-29T23:/0:00Z'%s"
           "17:8 at '2024-02-29T22:6:001Z'%s"
           "a: open@1709247600 open@1709251199 open@1709247601 open@1709245800 "
           "open@1709245801 open@1709247549 open@253402297200 open@253402300798 "
           "open@1709251200\n"
           "b:\n",
           why, why, why, why, why, why, why, why, why, why);
  loads_as(data, sizeof data - 1, ids, N_OF(ids), want, 1);
}

/* ---- rows the fast path leaves to the reader ------------------------------------- */

static void rows_that_are_not_plain_read_the_same(void **state) {
  static char        data[4096];
  static const char *ids[] = { "a", "d", "e", "f", "g", NULL };
  char               long_id[300], want[4096];
  size_t             n;
  (void)state;
  memset(long_id, 'y', 256);
  long_id[256] = '\0';
  ids[5] = long_id;
  n = (size_t)snprintf(data, sizeof data,
                       "lead_id,type,at\n"
                       "a,open,2024-02-29T10:00:00Z\n"
                       "\"d\",\"open\",\"2024-02-29T10:00:02Z\"\n" /* 3 quoted */
                       "d,open,2024-02-29T10:00:03Z\r\n"           /* 4 CRLF */
                       "\n"                                        /* 5 blank */
                       "\r\n"                                      /* 6 blank */
                       "   \n"                                     /* 7 blank */
                       " d , open , 2024-02-29T10:00:04Z\n"        /* 8 trimmed */
                       "d,click,2024-03-01T00:00:00Z\n"            /* 9 a new type */
                       "d,Bad,2024-03-01T00:00:01Z\n"              /* 10 */
                       ",open,2024-03-01T00:00:02Z\n"              /* 11 */
                       "%sy,open,2024-03-01T00:00:03Z\n"           /* 12 too long */
                       "%s,open,2024-03-01T00:00:03Z\n"            /* 13 the longest */
                       "e,open\n"                                  /* 14 */
                       "e,open,2024-03-01T00:00:04Z,x\n"           /* 15 */
                       "e\"f,open,2024-03-01T00:00:05Z\n"          /* 16 */
                       "e,open,2024-03-01T00:00:06Z\n"             /* 17 */
                       "e,click,\"2024-03-01T00:00:07Z\n"          /* 18 a quoted */
                       "f,open,2024-03-01T00:00:08Z\"\n"           /* 19 line break */
                       "g,op\ten,2024-03-01T00:00:09Z\n"           /* 20 */
                       "g,click,2024-03-01T00:00:10Z\r"            /* 21 lone CR */
                       "g,click,2024-03-01T00:00:11Z",             /* 22 no line break */
                       long_id, long_id);
  assert_true(n < sizeof data);
  snprintf(want, sizeof want,
           "10:3 event type 'Bad' is not a name ([a-z][a-z0-9_]{0,63})\n"
           "11:1 empty lead_id\n"
           "12:1 lead_id longer than 256 bytes\n"
           "14:0 expected 3 fields as in the header, found 2\n"
           "15:0 expected 3 fields as in the header, found 4\n"
           "16:2 quote inside an unquoted field (quote the whole field and double the quote)\n"
           "18:9 at '2024-03-01T00:00:07Z\nf,open,2024-03-01T00:00:08Z' is not epoch seconds or "
           "ISO 8601 like 2026-11-18T09:30:00Z (or +01:00 for the zone)\n"
           "20:3 event type 'op\ten' is not a name ([a-z][a-z0-9_]{0,63})\n"
           "a: open@1709200800\n"
           "d: open@1709200802 open@1709200803 open@1709200804 click@1709251200\n"
           "e: open@1709251206\n"
           "f:\n"
           "g: click@1709251210 click@1709251211\n"
           "%.24s: open@1709251203\n",
           long_id);
  loads_as(data, n, ids, N_OF(ids), want, 7);
}

static void a_nul_byte_goes_to_the_reader(void **state) {
  static const char        data[] = "lead_id,type,at\n"
                                    "a,op\0en,2024-03-01T00:00:00Z\n"
                                    "a,open,2024-03-01T00:00:01Z\n";
  static const char *const ids[] = { "a" };
  (void)state;
  loads_as(data, sizeof data - 1, ids, N_OF(ids),
           "2:5 NUL byte in a field\n"
           "a: open@1709251201\n",
           1);
}

/* ---- other headers ---------------------------------------------------------------- */

static void columns_in_another_order_and_more_of_them(void **state) {
  static char        data[16384];
  static const char *ids[] = { "a", "b" };
  char               note[5000];
  size_t             n;
  (void)state;
  memset(note, 'n', sizeof note - 1);
  note[sizeof note - 1] = '\0';
  n = (size_t)snprintf(data, sizeof data,
                       "type,note,at,lead_id\n"
                       "open,+!#$%%&'()*,2024-02-29T10:00:00Z,a\n" /* bytes below ',' */
                       "click,%s,2024-02-29T10:00:01Z,b\n" /* longer than the fast path takes */
                       "open,,2024-02-29T10:00:02Z,a\n"
                       "open,x,2024-02-29T10:00:03Z\n",
                       note);
  assert_true(n < sizeof data);
  loads_as(data, n, ids, N_OF(ids),
           "5:0 expected 4 fields as in the header, found 3\n"
           "a: open@1709200800 open@1709200802\n"
           "b: click@1709200801\n",
           997);
}

static void a_header_of_seventy_columns(void **state) {
  static char              data[4096];
  static const char *const ids[] = { "a" };
  size_t                   n = 0;
  int                      i;
  (void)state;
  for (i = 0; i < 67; i++) n += (size_t)snprintf(data + n, sizeof data - n, "c%d,", i);
  n += (size_t)snprintf(data + n, sizeof data - n, "lead_id,type,at\n");
  for (i = 0; i < 67; i++) n += (size_t)snprintf(data + n, sizeof data - n, ",");
  n += (size_t)snprintf(data + n, sizeof data - n, "a,open,2024-02-29T10:00:00Z\n");
  for (i = 0; i < 67; i++) n += (size_t)snprintf(data + n, sizeof data - n, ",");
  n += (size_t)snprintf(data + n, sizeof data - n, "a,open,2024-02-29T10:00:01Z\n");
  assert_true(n < sizeof data);
  loads_as(data, n, ids, N_OF(ids), "a: open@1709200800 open@1709200801\n", 41);
}

/* ---- ids ------------------------------------------------------------------------ */

/* Ids of every length from 1 to 24 bytes, each a prefix of the next, and
 * the same ids with a last byte changed: each keeps its own events. */
static void ids_of_every_short_length(void **state) {
  static char        data[8192];
  static char        names[48][32];
  static const char *ids[48];
  char               want[8192];
  size_t             n = 0, w = 0;
  int                i;
  (void)state;
  n += (size_t)snprintf(data + n, sizeof data - n, "lead_id,type,at\n");
  for (i = 0; i < 48; i++) {
    int len = i % 24 + 1;
    memcpy(names[i], "abcdefghijklmnopqrstuvwxyz", (size_t)len);
    names[i][len] = '\0';
    if (i >= 24) names[i][len - 1] = 'Z';
    ids[i] = names[i];
    n += (size_t)snprintf(data + n, sizeof data - n, "%s,open,2024-02-29T10:%02d:00Z\n", names[i],
                          i);
  }
  for (i = 0; i < 48; i++) /* again, in the other order */
    n += (size_t)snprintf(data + n, sizeof data - n, "%s,click,2024-02-29T11:%02d:00Z\n",
                          names[47 - i], 47 - i);
  assert_true(n < sizeof data);
  for (i = 0; i < 48; i++)
    w += (size_t)snprintf(want + w, sizeof want - w, "%s: open@%lld click@%lld\n", names[i],
                          1709200800LL + 60 * i, 1709204400LL + 60 * i);
  loads_as(data, n, ids, N_OF(ids), want, 61);
}

/* Types that share a slot of a part's type cache (the same length, or
 * lengths 16 apart, and the same first byte), of 8 to 16 bytes (the
 * cache compares their first and last eight bytes) and of other lengths,
 * each after each: the first and the last eight bytes of a 16-byte type
 * overlap nowhere, so a difference in either must tell them apart. */
static void types_that_share_a_cache_slot(void **state) {
  static const char *const types[] = {
    "abcdefghijklmnop",
    "abcxefghijklmnop",
    "abcdefghijklxnop",
    "abcdefgh",
    "abcdefghijklmnopqrstuvwx",
    "abcdefgx",
    "abcdefg",
    "abcdefgxxxxxxxxxxxxxxxx",
    "abcdefh",
    "abcdefghi",
    "abcdefghy",
  };
  static const char *ids[] = { "a" };
  char               data[8192], want[8192];
  size_t             n = 0, w = 0, i, j, k = 0;
  (void)state;
  n += (size_t)snprintf(data + n, sizeof data - n, "lead_id,type,at\n");
  w += (size_t)snprintf(want + w, sizeof want - w, "a:");
  for (i = 0; i < N_OF(types); i++)
    for (j = 0; j < N_OF(types); j++, k++) {
      n += (size_t)snprintf(data + n, sizeof data - n, "a,%s,2024-02-29T10:%02u:%02uZ\n",
                            types[(i + j) % N_OF(types)], (unsigned)(k / 60), (unsigned)(k % 60));
      w += (size_t)snprintf(want + w, sizeof want - w, " %s@%lld", types[(i + j) % N_OF(types)],
                            1709200800LL + (long long)k);
    }
  w += (size_t)snprintf(want + w, sizeof want - w, "\n");
  assert_true(n < sizeof data && w < sizeof want);
  loads_as(data, n, ids, N_OF(ids), want, 97);
}

/* Rows of one type between rows of new ones, enough of them (and long
 * enough) that the keys of a part's types move while it is parsed. */
static void a_known_type_between_many_new_ones(void **state) {
  static char        data[32768];
  static char        want[32768];
  static const char *ids[] = { "a", "b" };
  size_t             n = 0, w = 0;
  int                i;
  (void)state;
  n += (size_t)snprintf(data + n, sizeof data - n, "lead_id,type,at\n");
  for (i = 0; i < 120; i++)
    n += (size_t)snprintf(data + n, sizeof data - n,
                          "a,open,2024-02-29T10:%02d:%02dZ\n"
                          "b,type_%03d_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx,"
                          "2024-02-29T11:%02d:%02dZ\n",
                          i / 60, i % 60, i, i / 60, i % 60);
  assert_true(n < sizeof data);
  w += (size_t)snprintf(want + w, sizeof want - w, "a:");
  for (i = 0; i < 120; i++)
    w += (size_t)snprintf(want + w, sizeof want - w, " open@%lld", 1709200800LL + i);
  w += (size_t)snprintf(want + w, sizeof want - w, "\nb:");
  for (i = 0; i < 120; i++)
    w += (size_t)snprintf(want + w, sizeof want - w,
                          " type_%03d_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@%lld", i,
                          1709204400LL + i);
  w += (size_t)snprintf(want + w, sizeof want - w, "\n");
  assert_true(w < sizeof want);
  loads_as(data, n, ids, N_OF(ids), want, 1009);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(times_that_look_plain_but_are_not_valid),
    cmocka_unit_test(times_in_the_hour_of_the_one_before),
    cmocka_unit_test(rows_that_are_not_plain_read_the_same),
    cmocka_unit_test(a_nul_byte_goes_to_the_reader),
    cmocka_unit_test(columns_in_another_order_and_more_of_them),
    cmocka_unit_test(a_header_of_seventy_columns),
    cmocka_unit_test(ids_of_every_short_length),
    cmocka_unit_test(a_known_type_between_many_new_ones),
    cmocka_unit_test(types_that_share_a_cache_slot),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
