/*
 * test_csv.c - the programs' CSV reader (examples/cli/csv.c): records,
 * fields, quoting, line breaks, the byte order mark, trimming, every error
 * with its line and column, the skip of a bad record, the record limit,
 * reading from memory and in parts (csv_open_mem, csv_split_point,
 * csv_tell, csv_count_lines), and the writer's helpers.
 *
 * Expected transcripts (tests/csv_parts.h) were worked out by hand from
 * the rules in csv.h: "STATUS line L at OFFSET:" then each field as
 * [LEN LINE:COL q|- TEXT] (q: quoted), or the error as LINE:COL MESSAGE.
 * The property test compares csv_open, csv_open_mem, reading in parts and
 * a reader started over before every record (csv_seek_mem) on random messy
 * inputs; its seed is fixed and printed on failure.
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

#include "csv_parts.h"

/* The transcript of reading data[0..len) through a FILE; also checks that
 * csv_open_mem gives the same.  Returns a static copy. */
static const char *read_all(const char *data, size_t len, int trim) {
  static char    out[8192];
  csv_transcript a = { 0 }, b = { 0 }, c = { 0 };
  FILE          *fp = len ? fmemopen((void *)(uintptr_t)data, len, "rb") : tmpfile();
  assert_non_null(fp);
  assert_int_equal(csvt_whole(&a, fp, NULL, 0, trim), 0);
  fclose(fp);
  assert_int_equal(csvt_whole(&b, NULL, data, len, trim), 0);
  assert_string_equal(a.text ? a.text : "", b.text ? b.text : "");
  assert_int_equal(csvt_seeking(&c, data, len, trim), 0);
  assert_string_equal(a.text ? a.text : "", c.text ? c.text : "");
  snprintf(out, sizeof out, "%s", a.text ? a.text : "");
  free(a.text);
  free(b.text);
  free(c.text);
  return out;
}

#define READS(lit, trim, want) assert_string_equal(read_all(lit, sizeof lit - 1, trim), want)

/* ---- records and fields ------------------------------------------------- */

static void fields_lines_and_columns(void **state) {
  (void)state;
  READS("id,name,note\r\nL-1, Acme ,\"a, \"\"b\"\"\"\nL-2,,\"x\ny\"\n", 1,
        "record line 1 at 0: [2 1:1 - id] [4 1:4 - name] [4 1:9 - note]\n"
        "record line 2 at 14: [3 2:1 - L-1] [4 2:5 - Acme] [6 2:12 q a, \"b\"]\n"
        "record line 3 at 36: [3 3:1 - L-2] [0 3:5 - ] [3 3:6 q x\ny]\n");
}

static void untrimmed_fields_keep_their_spaces(void **state) {
  (void)state;
  READS("a, b \n\t,\" c \"\n", 0,
        "record line 1 at 0: [1 1:1 - a] [3 1:3 -  b ]\n"
        "record line 2 at 6: [1 2:1 - \t] [3 2:3 q  c ]\n");
  READS("a, b \n\t,\" c \"\n", 1,
        "record line 1 at 0: [1 1:1 - a] [1 1:3 - b]\n"
        "record line 2 at 6: [0 2:1 - ] [3 2:3 q  c ]\n");
}

static void lf_crlf_and_lone_cr_end_records(void **state) {
  (void)state;
  READS("a\nb\r\nc\rd", 1,
        "record line 1 at 0: [1 1:1 - a]\n"
        "record line 2 at 2: [1 2:1 - b]\n"
        "record line 3 at 5: [1 3:1 - c]\n"
        "record line 4 at 7: [1 4:1 - d]\n");
}

static void quoted_line_breaks_count_as_lines(void **state) {
  (void)state;
  /* CRLF, LF and a lone CR inside quotes each start a line; the field
   * after the closing quote is on the last of them. */
  READS("h1,h2\n\"x\r\ny\",z\n\"p\rq\nr\",s\nt,u\n", 1,
        "record line 1 at 0: [2 1:1 - h1] [2 1:4 - h2]\n"
        "record line 2 at 6: [4 2:1 q x\r\ny] [1 3:4 - z]\n"
        "record line 4 at 15: [5 4:1 q p\rq\nr] [1 6:4 - s]\n"
        "record line 7 at 25: [1 7:1 - t] [1 7:3 - u]\n");
}

static void blank_lines_are_skipped(void **state) {
  (void)state;
  /* with trim, spaces alone are a blank line; an empty quoted field is
   * a record */
  READS("a\n\n  \n\"\"\n\r\nb\n", 1,
        "record line 1 at 0: [1 1:1 - a]\n"
        "record line 4 at 6: [0 4:1 q ]\n"
        "record line 6 at 11: [1 6:1 - b]\n");
  READS("a\n  \n", 0, "record line 1 at 0: [1 1:1 - a]\nrecord line 2 at 2: [2 2:1 -   ]\n");
  READS("", 1, "");
  READS("\n\n", 1, "");
}

static void an_empty_last_field_at_the_end_has_the_commas_column(void **state) {
  (void)state;
  READS(
      "a,b\n1,", 1,
      "record line 1 at 0: [1 1:1 - a] [1 1:3 - b]\nrecord line 2 at 4: [1 2:1 - 1] [0 2:2 - ]\n");
  READS(
      "a,b\n1,\n", 1,
      "record line 1 at 0: [1 1:1 - a] [1 1:3 - b]\nrecord line 2 at 4: [1 2:1 - 1] [0 2:3 - ]\n");
}

static void a_leading_byte_order_mark_is_skipped(void **state) {
  (void)state;
  /* columns count from after the mark; offsets do not */
  READS("\xEF\xBB\xBF\"id\",v\nA,1\n", 1,
        "record line 1 at 3: [2 1:1 q id] [1 1:6 - v]\nrecord line 2 at 10: [1 2:1 - A] [1 2:3 - "
        "1]\n");
  /* only one, only at the start */
  READS("\xEF\xBB\xBF\xEF\xBB\xBF"
        "a\n",
        0,
        "record line 1 at 3: [4 1:1 - \xEF\xBB\xBF"
        "a]\n");
  READS("\xEF\xBB", 0, "record line 1 at 0: [2 1:1 - \xEF\xBB]\n");
}

/* Quoted fields in records that are otherwise plain: commas, doubled
 * quotes and LFs inside, the fields after them (columns from the last
 * quoted LF), CRLF or LF after the closing quote, an empty quoted field,
 * blanks inside quotes kept while those around unquoted fields go. */
static void quoted_fields_among_plain_ones(void **state) {
  (void)state;
  READS("id,co,n\r\n\"Pied, Piper\",x,\"a \"\"b\"\"\"\n\"\",,\"l1\nl2\"\r\n"
        "q,\"\",\"\"\"\"\nz,\"1234567\"\"9\",\"12345678\"\n",
        1,
        "record line 1 at 0: [2 1:1 - id] [2 1:4 - co] [1 1:7 - n]\n"
        "record line 2 at 9: [11 2:1 q Pied, Piper] [1 2:15 - x] [5 2:17 q a \"b\"]\n"
        "record line 3 at 35: [0 3:1 q ] [0 3:4 - ] [5 3:5 q l1\nl2]\n"
        "record line 5 at 48: [1 5:1 - q] [0 5:3 q ] [1 5:6 q \"]\n"
        "record line 6 at 58: [1 6:1 - z] [9 6:3 q 1234567\"9] [8 6:16 q 12345678]\n");
  READS("a,b,c\n \" x\t\" ,b,c\n\" x\t\", b ,\t\"c\"\n", 1,
        "record line 1 at 0: [1 1:1 - a] [1 1:3 - b] [1 1:5 - c]\n"
        "bad line 2 at 6: error 2:2 quote inside an unquoted field (quote the whole field and "
        "double the quote)\n"
        "bad line 3 at 18: error 3:12 quote inside an unquoted field (quote the whole field "
        "and double the quote)\n");
  READS("\" x\t\", b ,c \n", 0, "record line 1 at 0: [3 1:1 q  x\t] [3 1:7 -  b ] [2 1:11 - c ]\n");
  /* what ends a quoted field but not as a plain record does */
  READS("\"a\"\rb\n\"c\"", 1, "record line 1 at 0: [1 1:1 q a]\nrecord line 2 at 4: [1 2:1 - b]\n"
                              "record line 3 at 6: [1 3:1 q c]\n");
  READS("\"a\"\0,b\n\"x\ry\"\n", 1,
        "bad line 1 at 0: error 1:4 expected ',' or end of line after a closing quote\n"
        "record line 2 at 7: [3 2:1 q x\ry]\n");
  READS("\"a\",b\"\n", 1,
        "bad line 1 at 0: error 1:6 quote inside an unquoted field (quote the whole field and "
        "double the quote)\n");
}

static void many_quoted_fields(void **state) {
  char   data[512], want[4096];
  size_t n = 0, w = 0;
  int    i;
  (void)state;
  w += (size_t)snprintf(want + w, sizeof want - w, "record line 1 at 0:");
  for (i = 0; i < 40; i++) {
    data[n++] = '"';
    data[n++] = (char)('A' + i % 26);
    data[n++] = '"';
    data[n++] = i < 39 ? ',' : '\n';
    w += (size_t)snprintf(want + w, sizeof want - w, " [1 1:%d q %c]", 4 * i + 1, 'A' + i % 26);
  }
  w += (size_t)snprintf(want + w, sizeof want - w, "\n");
  assert_string_equal(read_all(data, n, 1), want);
}

/* Quoted fields (a doubled quote, an LF, CRLF after) and plain ones
 * across the end of csv_open_mem's first block, at every offset: the
 * record is scanned again once the rest is read. */
static void quoted_fields_across_the_buffers_end(void **state) {
  static char data[4300], want[8192];
  size_t      pad;
  (void)state;
  for (pad = 4020; pad <= 4100; pad++) {
    size_t n = 0, o = 14 + pad;
    memcpy(data, "h1,h2,h3\n", 9);
    n = 9;
    memset(data + n, 'P', pad);
    n += pad;
    memcpy(data + n, ",1,2\n", 5);
    n += 5;
#define ROWS "\"q,1 \"\"x\"\"\nyy\",z,\"e\"\r\n\"\",,\"w\"\nk,\"tail \"\"\n\"\"\",9\n"
    memcpy(data + n, ROWS, sizeof ROWS - 1);
    n += sizeof ROWS - 1;
#undef ROWS
    snprintf(want, sizeof want,
             "record line 1 at 0: [2 1:1 - h1] [2 1:4 - h2] [2 1:7 - h3]\n"
             "record line 2 at 9: [%lu 2:1 - %.*s] [1 2:%lu - 1] [1 2:%lu - 2]\n"
             "record line 3 at %lu: [10 3:1 q q,1 \"x\"\nyy] [1 4:5 - z] [1 4:7 q e]\n"
             "record line 5 at %lu: [0 5:1 q ] [0 5:4 - ] [1 5:5 q w]\n"
             "record line 6 at %lu: [1 6:1 - k] [8 6:3 q tail \"\n\"] [1 7:5 - 9]\n",
             (unsigned long)pad, (int)pad, data + 9, (unsigned long)pad + 2,
             (unsigned long)pad + 4, (unsigned long)o, (unsigned long)o + 22,
             (unsigned long)o + 30);
    assert_string_equal(read_all(data, n, (int)(pad & 1)), want);
  }
}

/* ---- errors --------------------------------------------------------------- */

static void a_quote_inside_an_unquoted_field(void **state) {
  (void)state;
  READS("a,b\"c,d\nx,y,z\n", 1,
        "bad line 1 at 0: error 1:4 quote inside an unquoted field (quote the whole field and "
        "double the quote)\n"
        "record line 2 at 8: [1 2:1 - x] [1 2:3 - y] [1 2:5 - z]\n");
}

static void a_nul_byte_is_an_error(void **state) {
  (void)state;
  READS("a,b\0c\nx\n", 1,
        "bad line 1 at 0: error 1:4 NUL byte in a field\nrecord line 2 at 6: [1 2:1 - x]\n");
  /* in a quoted field the whole field is skipped, line breaks and all */
  READS("\"a\nb\0\n\"\nx\n", 1,
        "bad line 1 at 0: error 2:2 NUL byte in a field\nrecord line 4 at 8: [1 4:1 - x]\n");
  READS("\0", 1, "bad line 1 at 0: error 1:1 NUL byte in a field\n");
}

static void text_after_a_closing_quote(void **state) {
  (void)state;
  READS("\"a\"b,c\nx\n", 1,
        "bad line 1 at 0: error 1:4 expected ',' or end of line after a closing quote\n"
        "record line 2 at 7: [1 2:1 - x]\n");
  READS("\"a\" ,c\n", 1,
        "bad line 1 at 0: error 1:4 expected ',' or end of line after a closing quote\n");
}

static void an_unterminated_quote_names_its_line(void **state) {
  (void)state;
  READS("a\n\"open\nmore", 1,
        "record line 1 at 0: [1 1:1 - a]\n"
        "bad line 2 at 2: error 2:1 unterminated quoted field (the quote opens on line 2)\n");
  READS("x,\"a\"\"", 1,
        "bad line 1 at 0: error 1:3 unterminated quoted field (the quote opens on line 1)\n");
}

static void a_bad_record_is_skipped_whole_with_its_quoted_lines(void **state) {
  (void)state;
  /* after the error, a quote at the start of a field still opens a quoted
   * field, so its line breaks do not end the bad record: no record is
   * invented from the field's text */
  READS("h,i\nx\"y,\"multi\nline, with \"\"q\"\"\nend\",z\nok,1\n", 1,
        "record line 1 at 0: [1 1:1 - h] [1 1:3 - i]\n"
        "bad line 2 at 4: error 2:2 quote inside an unquoted field (quote the whole field and "
        "double the quote)\n"
        "record line 5 at 39: [2 5:1 - ok] [1 5:4 - 1]\n");
}

static void records_must_have_the_headers_field_count(void **state) {
  (void)state;
  READS("a,b\n1\n1,2,3\n1,2\n", 1,
        "record line 1 at 0: [1 1:1 - a] [1 1:3 - b]\n"
        "bad line 2 at 4: error 2:0 expected 2 fields as in the header, found 1\n"
        "bad line 3 at 6: error 3:0 expected 2 fields as in the header, found 3\n"
        "record line 4 at 12: [1 4:1 - 1] [1 4:3 - 2]\n");
}

/* A record of one field of n bytes then "\nok\n", read through a FILE. */
static int long_field(size_t n, int shape, csv_reader *r, FILE **fp, char **data) {
  int    crlf = shape >> 1; /* shape bit 1: the record ends in CRLF */
  size_t len = n + 4 + (size_t)crlf + (shape & 1 ? 2 : 0), at = 0;
  char  *d = malloc(len);
  assert_non_null(d);
  if (shape & 1) d[at++] = '"';
  memset(d + at, 'x', n);
  at += n;
  if (shape & 1) d[at++] = '"';
  if (crlf) d[at++] = '\r';
  memcpy(d + at, "\nok\n", 4);
  *fp = fmemopen(d, len, "rb");
  assert_non_null(*fp);
  *data = d;
  assert_int_equal(csv_open(r, *fp, 1), 0);
  return csv_next(r);
}

static void records_over_sixteen_mebibytes_are_refused(void **state) {
  csv_reader r;
  FILE      *fp;
  char      *d;
  int        shape;
  (void)state;
  for (shape = 0; shape <= 3; shape++) { /* bit 0: quoted, bit 1: CRLF */
    /* the limit counts each field's bytes and its terminator (CR of a CRLF) */
    assert_int_equal(long_field(((size_t)1 << 24) - 1, shape, &r, &fp, &d), CSV_RECORD);
    assert_int_equal(r.lens[0], ((size_t)1 << 24) - 1);
    assert_int_equal(r.fields[0][r.lens[0] - 1], 'x');
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_string_equal(r.fields[0], "ok");
    csv_close(&r);
    fclose(fp);
    free(d);
    assert_int_equal(long_field((size_t)1 << 24, shape, &r, &fp, &d), CSV_BAD);
    assert_string_equal(r.error, "record longer than 16777216 bytes");
    assert_int_equal(r.error_line, 1);
    assert_int_equal(r.error_col, 0);
    assert_int_equal(csv_next(&r), CSV_RECORD);
    assert_string_equal(r.fields[0], "ok");
    assert_int_equal(r.record_line, 2);
    assert_int_equal(csv_next(&r), CSV_EOF);
    csv_close(&r);
    fclose(fp);
    free(d);
  }
}

/* More fields than the reader first has room for (16): the tables grow
 * and every field keeps its place. */
static void records_of_many_fields(void **state) {
  char   data[256], want[2048];
  size_t n = 0, w = 0;
  int    line, i;
  (void)state;
  for (line = 1; line <= 2; line++) {
    w += (size_t)snprintf(want + w, sizeof want - w, "record line %d at %lu:", line,
                          (unsigned long)n);
    for (i = 0; i < 40; i++) {
      data[n++] = (char)('A' + line * 8 + i % 26);
      data[n++] = i < 39 ? ',' : '\n';
      w += (size_t)snprintf(want + w, sizeof want - w, " [1 %d:%d - %c]", line, 2 * i + 1,
                            'A' + line * 8 + i % 26);
    }
    w += (size_t)snprintf(want + w, sizeof want - w, "\n");
  }
  assert_string_equal(read_all(data, n, 1), want);
}

static void a_field_longer_than_the_buffer(void **state) {
  /* 3 MiB of quoted text with doubled quotes and line breaks: the buffer
   * grows, the field comes back whole and unescaped */
  size_t     n = (size_t)3 << 20, i, len = 0;
  char      *d = malloc(2 * n + 16), *want = malloc(n);
  csv_reader r;
  (void)state;
  assert_non_null(d);
  assert_non_null(want);
  d[len++] = '"';
  for (i = 0; i < n; i++) {
    char c = (char)(i % 1000 == 999 ? '\n' : i % 7 == 3 ? '"' : 'a' + (char)(i % 26));
    want[i] = c;
    d[len++] = c;
    if (c == '"') d[len++] = '"';
  }
  memcpy(d + len, "\",z\n", 4);
  len += 4;
  assert_int_equal(csv_open_mem(&r, d, len, 0, 1, 1), 0);
  assert_int_equal(csv_next(&r), CSV_RECORD);
  assert_int_equal(r.n_fields, 2);
  assert_int_equal(r.lens[0], n);
  assert_memory_equal(r.fields[0], want, n);
  assert_int_equal(r.pos[1].line, 1 + n / 1000);
  assert_string_equal(r.fields[1], "z");
  assert_int_equal(csv_next(&r), CSV_EOF);
  csv_close(&r);
  free(d);
  free(want);
}

static void a_read_error_is_fatal(void **state) {
  csv_reader r;
  FILE      *fp = tmpfile();
  (void)state;
  assert_non_null(fp);
  fclose(fp);
  fp = fopen("/dev/null", "w"); /* reading a write-only stream fails */
  assert_non_null(fp);
  assert_int_equal(csv_open(&r, fp, 1), 0);
  assert_int_equal(csv_next(&r), CSV_FATAL);
  assert_string_equal(r.error, "read error");
  csv_close(&r);
  fclose(fp);
}

/* ---- memory and parts ------------------------------------------------------ */

static void a_part_numbers_from_its_base_and_line(void **state) {
  static const char text[] = "\xEF\xBB\xBF"
                             "a,\"b\nc\"\n";
  csv_reader        r;
  (void)state;
  /* no BOM skip away from the start: the mark is text */
  assert_int_equal(csv_open_mem(&r, text, sizeof text - 1, 100, 7, 1), 0);
  assert_int_equal(csv_tell(&r), 100);
  assert_int_equal(csv_next(&r), CSV_RECORD);
  assert_int_equal(r.record_line, 7);
  assert_int_equal(r.record_offset, 100);
  assert_int_equal(r.lens[0], 4);
  assert_int_equal(r.pos[1].line, 7);
  assert_int_equal(r.pos[1].col, 6);
  assert_string_equal(r.fields[1], "b\nc");
  assert_int_equal(r.line, 9);
  assert_int_equal(csv_tell(&r), 100 + sizeof text - 1);
  assert_int_equal(csv_next(&r), CSV_EOF);
  csv_close(&r);
}

static void split_points_are_just_after_line_breaks(void **state) {
  static const char t[] = "ab\r\ncd\ref\n\"g\nh\"";
  size_t            n = sizeof t - 1;
  (void)state;
  assert_int_equal(csv_split_point(t, n, 0), 0);
  assert_int_equal(csv_split_point(t, n, 1), 4);
  assert_int_equal(csv_split_point(t, n, 3), 4); /* never between CR and LF */
  assert_int_equal(csv_split_point(t, n, 4), 4);
  assert_int_equal(csv_split_point(t, n, 5), 7);
  assert_int_equal(csv_split_point(t, n, 8), 10);
  assert_int_equal(csv_split_point(t, n, 11), 13); /* inside quotes: a guess */
  assert_int_equal(csv_split_point(t, n, 14), n);
  assert_int_equal(csv_split_point(t, n, n), n);
  assert_int_equal(csv_count_lines(t, n), 4);
  assert_int_equal(csv_count_lines(t, 3), 1); /* a CR at the end counts */
  assert_int_equal(csv_count_lines("", 0), 0);
}

/* Reads `text` whole and in the parts given, and compares. */
static size_t compare_parts(const char *data, size_t len, int trim, const size_t *guess,
                            size_t n_guess) {
  csv_transcript whole = { 0 }, parts = { 0 };
  size_t         redone;
  assert_int_equal(csvt_whole(&whole, NULL, data, len, trim), 0);
  assert_int_equal(csvt_parts(&parts, data, len, trim, guess, n_guess, &redone), 0);
  assert_string_equal(whole.text ? whole.text : "", parts.text ? parts.text : "");
  free(whole.text);
  free(parts.text);
  return redone;
}

static void a_quoted_line_break_across_a_split_is_read_again(void **state) {
  static const char t[] = "id,note\n1,\"one\ntwo\nthree\"\n2,x\n3,\"\"\"a\"\"\nb\"\n";
  size_t            g1[] = { 12 }, g2[] = { 12, 17, 36 }, g3[] = { 8, 26 };
  (void)state;
  /* 12 is in "one": its split 15 (after "one\n") is inside the quotes and
   * the next part starts again at 26; 17's split 19 falls in what the
   * first part read; 36's split 39 is inside the last record's quotes */
  assert_int_equal(compare_parts(t, sizeof t - 1, 1, g1, 1), 1);
  assert_int_equal(compare_parts(t, sizeof t - 1, 1, g2, 3), 2);
  /* guesses on real boundaries are taken as they are */
  assert_int_equal(compare_parts(t, sizeof t - 1, 1, g3, 2), 0);
}

/* Random messy CSV from pieces that matter. */
static uint64_t rng_state;
static uint64_t rng(void) {
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static void reading_in_parts_equals_reading_whole(void **state) {
  static const char *piece[] = { "a",
                                 "bc",
                                 ",",
                                 "\"",
                                 "\n",
                                 "\r",
                                 "\r\n",
                                 " ",
                                 "\t",
                                 "\"\"",
                                 "x y",
                                 "\0",
                                 "L-1,t,2026-11-01T00:00:00Z\n",
                                 "12",
                                 ",\"q\"",
                                 "\"a,b\"",
                                 "\"l\nm\"",
                                 "\"\r\n\"",
                                 "\xEF\xBB\xBF" };
  const uint64_t     seed = UINT64_C(20261202);
  char               buf[4096];
  size_t             iter, redone = 0;
  (void)state;
  rng_state = seed;
  for (iter = 0; iter < 20000; iter++) {
    size_t         n = 0, k = (size_t)(rng() % (iter % 8 == 0 ? 200 : 30)), i, guess[4], ng;
    int            trim = (int)(rng() & 1);
    FILE          *fp;
    csv_transcript a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
    for (i = 0; i < k; i++) {
      size_t which = (size_t)(rng() % (sizeof piece / sizeof *piece));
      size_t l = which == 11 ? 1 : strlen(piece[which]);
      if (which == 18 && n) continue;
      memcpy(buf + n, piece[which], l);
      n += l;
    }
    ng = (size_t)(rng() % 5);
    for (i = 0; i < ng; i++) guess[i] = n ? (size_t)(rng() % n) : 0;
    for (i = 1; i < ng; i++) /* ascending */
      if (guess[i] < guess[i - 1]) guess[i] = guess[i - 1];
    fp = n ? fmemopen(buf, n, "rb") : tmpfile();
    assert_non_null(fp);
    assert_int_equal(csvt_whole(&a, fp, NULL, 0, trim), 0);
    fclose(fp);
    assert_int_equal(csvt_whole(&b, NULL, buf, n, trim), 0);
    assert_int_equal(csvt_parts(&c, buf, n, trim, guess, ng, &k), 0);
    assert_int_equal(csvt_seeking(&d, buf, n, trim), 0);
    redone += k;
    if (strcmp(a.text ? a.text : "", b.text ? b.text : "") != 0 ||
        strcmp(a.text ? a.text : "", c.text ? c.text : "") != 0 ||
        strcmp(a.text ? a.text : "", d.text ? d.text : "") != 0)
      fail_msg("seed %llu, case %zu: csv_open\n%s\ncsv_open_mem\n%s\nparts\n%s\nseeking\n%s",
               (unsigned long long)seed, iter, a.text, b.text, c.text, d.text);
    free(a.text);
    free(b.text);
    free(c.text);
    free(d.text);
  }
  /* the generator does put quoted line breaks across guesses */
  assert_true(redone > 100);
}

/* ---- the writer's helpers ----------------------------------------------------- */

static void fields_are_quoted_when_they_must_be(void **state) {
  char  *out = NULL;
  size_t len = 0;
  FILE  *fp = open_memstream(&out, &len);
  (void)state;
  csv_write_field(fp, "plain");
  csv_write_field(fp, "a,b");
  csv_write_field(fp, "say \"hi\"");
  csv_write_field(fp, "l\nm");
  fclose(fp);
  assert_string_equal(out, "plain\"a,b\"\"say \"\"hi\"\"\"\"l\nm\"");
  free(out);
}

static void points_and_whole_numbers(void **state) {
  /* one digit before the point, two, three, and the extremes */
  static const struct {
    int64_t     milli;
    const char *text;
  } points[] = {
    {8000, "8.000"},
    {-3250, "-3.250"},
    {0, "0.000"},
    {-1, "-0.001"},
    {9999, "9.999"},
    {10000, "10.000"},
    {-99999, "-99.999"},
    {100000, "100.000"},
    {-123456, "-123.456"},
    {1090, "1.090"},
    {INT64_MAX, "9223372036854775.807"},
    {INT64_MIN, "-9223372036854775.808"},
  };
  char    b[32];
  int64_t v = 0;
  size_t  i;
  (void)state;
  for (i = 0; i < sizeof points / sizeof points[0]; i++) {
    csv_format_points(points[i].milli, b);
    assert_string_equal(b, points[i].text);
  }
  assert_true(csv_parse_int64("-9223372036854775808", &v));
  assert_true(v == INT64_MIN);
  assert_true(csv_parse_int64("+42", &v) && v == 42);
  /* the 18 digits read unchecked, then the checked ones */
  assert_true(csv_parse_int64("999999999999999999", &v) && v == INT64_C(999999999999999999));
  assert_true(csv_parse_int64("9223372036854775807", &v) && v == INT64_MAX);
  assert_false(csv_parse_int64("-9223372036854775809", &v));
  assert_false(csv_parse_int64("99999999999999999999", &v));
  assert_true(csv_parse_int64("0000000000000000000000042", &v) && v == 42);
  assert_false(csv_parse_int64("12345678901234567x", &v));
  assert_false(csv_parse_int64("1234567890123456789x", &v));
  assert_false(csv_parse_int64("-", &v));
  assert_false(csv_parse_int64("9223372036854775808", &v));
  assert_false(csv_parse_int64("1,000", &v));
  assert_false(csv_parse_int64("", &v));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(fields_lines_and_columns),
    cmocka_unit_test(untrimmed_fields_keep_their_spaces),
    cmocka_unit_test(lf_crlf_and_lone_cr_end_records),
    cmocka_unit_test(quoted_line_breaks_count_as_lines),
    cmocka_unit_test(blank_lines_are_skipped),
    cmocka_unit_test(an_empty_last_field_at_the_end_has_the_commas_column),
    cmocka_unit_test(a_leading_byte_order_mark_is_skipped),
    cmocka_unit_test(quoted_fields_among_plain_ones),
    cmocka_unit_test(many_quoted_fields),
    cmocka_unit_test(quoted_fields_across_the_buffers_end),
    cmocka_unit_test(a_quote_inside_an_unquoted_field),
    cmocka_unit_test(a_nul_byte_is_an_error),
    cmocka_unit_test(text_after_a_closing_quote),
    cmocka_unit_test(an_unterminated_quote_names_its_line),
    cmocka_unit_test(a_bad_record_is_skipped_whole_with_its_quoted_lines),
    cmocka_unit_test(records_must_have_the_headers_field_count),
    cmocka_unit_test(records_over_sixteen_mebibytes_are_refused),
    cmocka_unit_test(records_of_many_fields),
    cmocka_unit_test(a_field_longer_than_the_buffer),
    cmocka_unit_test(a_read_error_is_fatal),
    cmocka_unit_test(a_part_numbers_from_its_base_and_line),
    cmocka_unit_test(split_points_are_just_after_line_breaks),
    cmocka_unit_test(a_quoted_line_break_across_a_split_is_read_again),
    cmocka_unit_test(reading_in_parts_equals_reading_whole),
    cmocka_unit_test(fields_are_quoted_when_they_must_be),
    cmocka_unit_test(points_and_whole_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
