/*
 * test_lead.c - the lead object (lib/lead.c): every lg_lead_* function,
 * its limits and errors, event ordering, the stage table, the follow-up
 * timeline, clones, arena compaction, failure atomicity at every
 * allocation point, and the memory held by a typical lead.
 *
 * Every test runs under the counting allocator of support.h and must end
 * with no live block (see teardown).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"
#include "support.h"

/* ---- fixtures and helpers ----------------------------------------------- */

static int setup(void **state) {
  (void)state;
  ts_alloc_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  assert_int_equal(ts_alloc_live_blocks(), 0);
  ts_alloc_restore();
  return 0;
}

static lg_lead *new_lead(const char *id) {
  lg_lead *lead = NULL;
  assert_int_equal(lg_lead_create(id, &lead), LG_OK);
  assert_non_null(lead);
  return lead;
}

/* A string of n copies of c (static buffer, n < 2048). */
static const char *repeat(char c, size_t n) {
  static char buf[2048];
  assert_true(n < sizeof buf);
  memset(buf, c, n);
  buf[n] = '\0';
  return buf;
}

/* A growable text buffer for dumps (plain malloc: not counted). */
typedef struct dump {
  char  *p;
  size_t len, cap;
} dump;

static void dump_add(dump *d, const char *fmt, ...) {
  va_list ap;
  int     n;
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  assert_true(n >= 0);
  if (d->len + (size_t)n + 1 > d->cap) {
    d->cap = (d->len + (size_t)n + 1) * 2;
    d->p = realloc(d->p, d->cap);
    assert_non_null(d->p);
  }
  va_start(ap, fmt);
  vsnprintf(d->p + d->len, d->cap - d->len, fmt, ap);
  va_end(ap);
  d->len += (size_t)n;
}

/* Everything a lead holds, in table order, as text: two leads hold the same
 * thing exactly when their dumps are equal.  free() the result. */
static char *lead_dump(const lg_lead *lead) {
  dump     d = {NULL, 0, 0};
  uint32_t i;
  dump_add(&d, "id=%s stage=%d at=%lld\n", lg_lead_id(lead), lead->stage,
           (long long)lead->stage_at);
  for (i = 0; i < lead->n_attrs; i++) {
    const lg__attr *a = &lead->attrs[i];
    dump_add(&d, "attr %s type=%d ", lg__lead_str(lead, a->name), a->type);
    if (a->type == LG__VAL_TEXT)
      dump_add(&d, "text=[%s] len=%u\n", lg__lead_str(lead, (uint32_t)a->value), a->text_len);
    else
      dump_add(&d, "value=%lld\n", (long long)a->value);
  }
  for (i = 0; i < lead->n_types; i++)
    dump_add(&d, "type %u %s\n", i, lg__lead_str(lead, lg__evtype_off(&lead->types[i])));
  for (i = 0; i < lead->n_events; i++)
    dump_add(&d, "event %lld %u\n", (long long)lead->ev_at[i], lead->ev_type[i]);
  for (i = 0; i < lead->n_asg; i++) {
    const lg__assignment *a = &lead->asg[i];
    uint32_t              k;
    dump_add(&d, "asg %s at=%lld touched=%lld rec=%u\n", lg__lead_str(lead, a->owner),
             (long long)a->assigned_at, (long long)a->touched_at, a->recorded);
    for (k = 0; k < a->n_snz; k++)
      dump_add(&d, "  snooze %lld-%lld\n", (long long)lead->snz[a->snz + k].from,
               (long long)lead->snz[a->snz + k].until);
  }
  if (!d.p) dump_add(&d, "%s", "");
  return d.p;
}

/* The bytes of the strings a lead refers to, counted from the outside. */
static uint32_t live_strings(const lg_lead *lead) {
  size_t   n = 0; /* the id is not in the arena */
  uint32_t i;
  for (i = 0; i < lead->n_attrs; i++) {
    n += strlen(lg__lead_str(lead, lead->attrs[i].name)) + 1;
    if (lead->attrs[i].type == LG__VAL_TEXT)
      n += strlen(lg__lead_str(lead, (uint32_t)lead->attrs[i].value)) + 1;
  }
  for (i = 0; i < lead->n_types; i++) {
    size_t len = strlen(lg__lead_str(lead, lg__evtype_off(&lead->types[i])));
    assert_int_equal(lg__evtype_len(&lead->types[i]), len); /* the stored length */
    n += len + 1;
  }
  for (i = 0; i < lead->n_asg; i++) n += strlen(lg__lead_str(lead, lead->asg[i].owner)) + 1;
  return (uint32_t)n;
}

/* The arena's bookkeeping agrees with what the lead refers to. */
static void assert_arena_consistent(const lg_lead *lead) {
  assert_true(lead->arena_len <= lead->arena_cap);
  assert_true(lead->arena_garbage <= lead->arena_len);
  assert_int_equal(lead->arena_len - lead->arena_garbage, live_strings(lead));
}

/* One mutating call to try under allocation failures. */
typedef lg_status (*lead_op)(lg_lead *lead, const void *arg);

/* Runs op on `lead` with allocation n (and every later one) failing.
 * Returns 1 if an allocation failed, after checking that the call gave
 * LG_ERR_NOMEM and left the lead's dump and the number of live blocks as
 * they were; 0 if the call got through (LG_OK) before allocation n. */
static int fail_once(lg_lead *lead, lead_op op, const void *arg, int n) {
  char     *before = lead_dump(lead), *after;
  long      blocks = ts_alloc_live_blocks();
  lg_status st;
  int       failed;
  ts_alloc_fail_at(n, 1);
  st = op(lead, arg);
  failed = ts_alloc_failed();
  ts_alloc_fail_at(0, 0);
  if (failed) {
    assert_int_equal(st, LG_ERR_NOMEM);
    after = lead_dump(lead);
    assert_string_equal(before, after);
    assert_int_equal(ts_alloc_live_blocks(), blocks);
    free(after);
  } else {
    assert_int_equal(st, LG_OK);
  }
  assert_arena_consistent(lead);
  free(before);
  return failed;
}

/* Fails allocation 1, 2, ... of `op` until the call gets through, twice:
 *  - each time on a fresh clone of `lead` (tables and arena exactly full,
 *    so every attempt starts from the same state and meets every
 *    allocation point once);
 *  - then on `lead` itself, retried until it succeeds (this reaches states
 *    a clone does not have, e.g. a compaction, and applies the op).
 * Returns the number of allocation points of the clone runs. */
static int fail_every_allocation(lg_lead *lead, lead_op op, const void *arg) {
  int n, points;
  for (n = 1;; n++) {
    lg_lead *work = NULL;
    int      failed;
    assert_int_equal(lg_lead_clone(lead, &work), LG_OK);
    failed = fail_once(work, op, arg, n);
    lg_lead_free(work);
    if (!failed) break;
  }
  points = n - 1;
  for (n = 1; fail_once(lead, op, arg, n); n++) continue;
  return points;
}

/* Walks a lead from NEW to `to` along allowed transitions. */
static void reach_stage(lg_lead *lead, lg_stage to) {
  static const lg_stage path[] = {LG_STAGE_MQL, LG_STAGE_SAL, LG_STAGE_SQL,
                                  LG_STAGE_OPPORTUNITY};
  size_t i;
  if (to == LG_STAGE_NEW) return;
  if (to == LG_STAGE_NURTURE || to == LG_STAGE_DISQUALIFIED) {
    assert_int_equal(lg_lead_set_stage(lead, to, 1), LG_OK);
    return;
  }
  for (i = 0; i < 4; i++) {
    assert_int_equal(lg_lead_set_stage(lead, path[i], 1), LG_OK);
    if (path[i] == to) return;
  }
  assert_int_equal(lg_lead_set_stage(lead, to, 1), LG_OK); /* WON or LOST */
}

/* ---- create, id, free ---------------------------------------------------- */

static void creating_a_lead_copies_the_id_and_starts_empty_and_new(void **state) {
  char     id[] = "lead-1";
  lg_lead *lead;
  (void)state;
  lead = new_lead(id);
  id[0] = 'X';
  assert_string_equal(lg_lead_id(lead), "lead-1");
  assert_int_equal(lg_lead_stage(lead), LG_STAGE_NEW);
  assert_int_equal(lg_lead_event_count(lead), 0);
  assert_int_equal(lg_lead_assignment_count(lead), 0);
  assert_null(lg_lead_owner(lead));
  assert_int_equal(lg_lead_attr_type(lead, "need"), LG_VALUE_NONE);
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void create_rejects_null_empty_long_and_non_utf8_ids(void **state) {
  lg_lead *lead = (lg_lead *)&lead, *keep = lead;
  char     id256[257], id257[258];
  (void)state;
  memset(id256, 'x', 256);
  id256[256] = '\0';
  memset(id257, 'x', 257);
  id257[257] = '\0';
  assert_int_equal(lg_lead_create(NULL, &lead), LG_ERR_INVALID);
  assert_int_equal(lg_lead_create("x", NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_create("", &lead), LG_ERR_INVALID);
  assert_int_equal(lg_lead_create(id257, &lead), LG_ERR_INVALID);
  assert_int_equal(lg_lead_create("bad\xff", &lead), LG_ERR_INVALID);
  assert_int_equal(lg_lead_create("\xc0\x80", &lead), LG_ERR_INVALID);
  assert_ptr_equal(lead, keep); /* out untouched on failure */
  assert_int_equal(lg_lead_create(id256, &lead), LG_OK);
  assert_string_equal(lg_lead_id(lead), id256);
  lg_lead_free(lead);
  assert_int_equal(lg_lead_create("Zoë 😀", &lead), LG_OK);
  assert_string_equal(lg_lead_id(lead), "Zoë 😀");
  lg_lead_free(lead);
}

static void getters_of_a_null_lead_return_their_defaults(void **state) {
  const char *s = "keep";
  int64_t     i = 7;
  int         b = 7;
  (void)state;
  lg_lead_free(NULL);
  assert_null(lg_lead_id(NULL));
  assert_int_equal(lg_lead_event_count(NULL), 0);
  assert_int_equal(lg_lead_stage(NULL), LG_STAGE_NEW);
  assert_null(lg_lead_owner(NULL));
  assert_int_equal(lg_lead_assignment_count(NULL), 0);
  assert_int_equal(lg_lead_attr_type(NULL, "a"), LG_VALUE_NONE);
  assert_int_equal(lg_lead_get_text(NULL, "a", &s), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_int(NULL, "a", &i), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_bool(NULL, "a", &b), LG_ERR_INVALID);
  assert_string_equal(s, "keep");
  assert_int_equal(i, 7);
  assert_int_equal(b, 7);
  assert_null(lg__lead_find_attr(NULL, "a", 1));
  assert_int_equal(lg__lead_find_type(NULL, "a", 1), -1);
  assert_int_equal(lg__lead_events_upto(NULL, 0), 0);
}

/* ---- attributes ---------------------------------------------------------- */

static void each_attribute_type_round_trips(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  int64_t     i = 0;
  int         b = -1;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "industry", "software"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "employees", INT64_MIN), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "opted_in", 1), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "industry", &s), LG_OK);
  assert_string_equal(s, "software");
  assert_int_equal(lg_lead_get_int(lead, "employees", &i), LG_OK);
  assert_true(i == INT64_MIN);
  assert_int_equal(lg_lead_get_bool(lead, "opted_in", &b), LG_OK);
  assert_int_equal(b, 1);
  assert_int_equal(lg_lead_set_int(lead, "employees", INT64_MAX), LG_OK);
  assert_int_equal(lg_lead_get_int(lead, "employees", &i), LG_OK);
  assert_true(i == INT64_MAX);
  assert_int_equal(lg_lead_attr_type(lead, "industry"), LG_VALUE_TEXT);
  assert_int_equal(lg_lead_attr_type(lead, "employees"), LG_VALUE_INT);
  assert_int_equal(lg_lead_attr_type(lead, "opted_in"), LG_VALUE_BOOL);
  assert_int_equal(lg_lead_attr_type(lead, "absent"), LG_VALUE_NONE);
  assert_int_equal(lg_lead_attr_type(lead, "Bad"), LG_VALUE_NONE);
  assert_int_equal(lg_lead_attr_type(lead, NULL), LG_VALUE_NONE);
  lg_lead_free(lead);
}

static void booleans_are_stored_as_zero_or_one(void **state) {
  lg_lead *lead = new_lead("l");
  int      b = 5;
  (void)state;
  assert_int_equal(lg_lead_set_bool(lead, "x", -42), LG_OK);
  assert_int_equal(lg_lead_get_bool(lead, "x", &b), LG_OK);
  assert_int_equal(b, 1);
  assert_int_equal(lg_lead_set_bool(lead, "x", 0), LG_OK);
  assert_int_equal(lg_lead_get_bool(lead, "x", &b), LG_OK);
  assert_int_equal(b, 0);
  lg_lead_free(lead);
}

static void replacing_text_with_int_changes_type(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = "keep";
  int64_t     i = 0;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "size", "large"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "size", 500), LG_OK);
  assert_int_equal(lg_lead_attr_type(lead, "size"), LG_VALUE_INT);
  assert_int_equal(lg_lead_get_text(lead, "size", &s), LG_ERR_TYPE);
  assert_string_equal(s, "keep");
  assert_int_equal(lg_lead_get_int(lead, "size", &i), LG_OK);
  assert_int_equal(i, 500);
  assert_int_equal(lead->n_attrs, 1);
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void replacing_int_and_bool_with_text_changes_type(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  int         b = 9;
  (void)state;
  assert_int_equal(lg_lead_set_int(lead, "a", 1), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "a", 1), LG_OK);
  assert_int_equal(lg_lead_attr_type(lead, "a"), LG_VALUE_BOOL);
  assert_int_equal(lg_lead_set_text(lead, "a", "now text"), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "a", &s), LG_OK);
  assert_string_equal(s, "now text");
  assert_int_equal(lg_lead_get_bool(lead, "a", &b), LG_ERR_TYPE);
  assert_int_equal(b, 9);
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void getting_with_the_wrong_type_is_a_type_error(void **state) {
  lg_lead *lead = new_lead("l");
  int64_t  i = 3;
  int      b = 3;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "t", "x"), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "b", 1), LG_OK);
  assert_int_equal(lg_lead_get_int(lead, "t", &i), LG_ERR_TYPE);
  assert_int_equal(lg_lead_get_int(lead, "b", &i), LG_ERR_TYPE);
  assert_int_equal(lg_lead_get_bool(lead, "t", &b), LG_ERR_TYPE);
  assert_int_equal(i, 3);
  assert_int_equal(b, 3);
  lg_lead_free(lead);
}

static void getting_or_unsetting_an_absent_attribute_is_not_found(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = "keep";
  int64_t     i = 3;
  int         b = 3;
  (void)state;
  assert_int_equal(lg_lead_get_text(lead, "a", &s), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_lead_get_int(lead, "a", &i), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_lead_get_bool(lead, "a", &b), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_lead_unset(lead, "a"), LG_ERR_NOT_FOUND);
  assert_string_equal(s, "keep");
  assert_int_equal(i, 3);
  assert_int_equal(b, 3);
  lg_lead_free(lead);
}

static void attribute_functions_reject_null_arguments(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s;
  int64_t     i;
  int         b;
  (void)state;
  assert_int_equal(lg_lead_set_text(NULL, "a", "x"), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_text(lead, NULL, "x"), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_text(lead, "a", NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_int(NULL, "a", 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_int(lead, NULL, 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_bool(NULL, "a", 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_bool(lead, NULL, 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_unset(NULL, "a"), LG_ERR_INVALID);
  assert_int_equal(lg_lead_unset(lead, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_int(lead, "a", 1), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, NULL, &s), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_text(lead, "a", NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_int(lead, NULL, &i), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_int(lead, "a", NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_bool(lead, NULL, &b), LG_ERR_INVALID);
  assert_int_equal(lg_lead_get_bool(lead, "a", NULL), LG_ERR_INVALID);
  assert_int_equal(lead->n_attrs, 1);
  lg_lead_free(lead);
}

static void names_of_1_to_64_lower_case_characters_are_valid(void **state) {
  lg_lead *lead = new_lead("l");
  char     name64[65];
  (void)state;
  memcpy(name64, repeat('z', 64), 65);
  name64[63] = '9';
  assert_int_equal(lg_lead_set_int(lead, "a", 1), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "a_b9", 2), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "x_", 3), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, name64, 4), LG_OK);
  assert_int_equal(lg_lead_attr_type(lead, name64), LG_VALUE_INT);
  assert_int_equal(lg_lead_add_event(lead, name64, 0), LG_OK);
  assert_int_equal(lead->n_attrs, 4);
  lg_lead_free(lead);
}

/* Every length 1..65 and every position of a bad byte, in a block of
 * exactly the name's size (so a read past the NUL shows under ASan), for
 * the setters and the events; the expected answer is by hand: valid iff
 * 1..64 bytes, [a-z] first, [a-z0-9_] after. */
static void names_are_checked_at_every_length_and_position(void **state) {
  static const char bad_any[] = {'A', 'Z', '-', ' ', '.', '/', ':', '@', '[', '`', '{', '\x7f',
                                 '\x80', '\xc3', '\xff'};
  static const char bad_first[] = {'0', '9', '_'};
  size_t            len, pos, k;
  (void)state;
  for (len = 1; len <= 65; len++) {
    char    *name = malloc(len + 1);
    assert_non_null(name);
    lg_lead *lead = new_lead("l");
    for (pos = 0; pos < len; pos++) name[pos] = "ab_z09y"[pos % 7];
    name[len] = '\0';
    assert_int_equal(lg_lead_set_int(lead, name, 1), len <= 64 ? LG_OK : LG_ERR_INVALID);
    assert_int_equal(lg_lead_add_event(lead, name, 0), len <= 64 ? LG_OK : LG_ERR_INVALID);
    assert_int_equal(lead->n_attrs, len <= 64 ? 1u : 0u);
    assert_int_equal(lead->n_events, len <= 64 ? 1u : 0u);
    if (len <= 64) {
      assert_int_equal(lead->attrs[0].name_len, len);
      assert_memory_equal(lead->arena + lead->attrs[0].name, name, len + 1);
      assert_int_equal(lg__lead_find_type(lead, name, len), 0);
    }
    for (pos = 0; pos < len; pos++) {
      char keep = name[pos];
      for (k = 0; k < sizeof bad_any + (pos == 0 ? sizeof bad_first : 0); k++) {
        name[pos] = k < sizeof bad_any ? bad_any[k] : bad_first[k - sizeof bad_any];
        assert_int_equal(lg_lead_set_text(lead, name, "x"), LG_ERR_INVALID);
        assert_int_equal(lg_lead_add_event(lead, name, 0), LG_ERR_INVALID);
        assert_int_equal(lg_lead_unset(lead, name), LG_ERR_INVALID);
      }
      name[pos] = '\0'; /* a shorter name, valid when pos >= 1 */
      assert_int_equal(lg_lead_set_bool(lead, name, 1), pos >= 1 ? LG_OK : LG_ERR_INVALID);
      if (pos >= 1) assert_int_equal(lg_lead_attr_type(lead, name), LG_VALUE_BOOL);
      name[pos] = keep;
    }
    assert_int_equal(lead->n_events, len <= 64 ? 1u : 0u);
    lg_lead_free(lead);
    free(name);
  }
}

static void malformed_names_are_invalid_everywhere(void **state) {
  static const char *bad[] = {"",   "Need", "nEed", "9lives", "_x",    "has space",
                              "a-b", "a.b", "é",    "x\xff",  "tab\t", NULL};
  lg_lead           *lead = new_lead("l");
  const char        *s;
  int64_t            i;
  int                b;
  size_t             k;
  (void)state;
  for (k = 0; bad[k]; k++) {
    assert_int_equal(lg_lead_set_text(lead, bad[k], "x"), LG_ERR_INVALID);
    assert_int_equal(lg_lead_set_int(lead, bad[k], 1), LG_ERR_INVALID);
    assert_int_equal(lg_lead_set_bool(lead, bad[k], 1), LG_ERR_INVALID);
    assert_int_equal(lg_lead_unset(lead, bad[k]), LG_ERR_INVALID);
    assert_int_equal(lg_lead_get_text(lead, bad[k], &s), LG_ERR_INVALID);
    assert_int_equal(lg_lead_get_int(lead, bad[k], &i), LG_ERR_INVALID);
    assert_int_equal(lg_lead_get_bool(lead, bad[k], &b), LG_ERR_INVALID);
    assert_int_equal(lg_lead_add_event(lead, bad[k], 0), LG_ERR_INVALID);
  }
  assert_int_equal(lg_lead_set_int(lead, repeat('a', 65), 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_event(lead, repeat('a', 65), 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_int(lead, repeat('a', 1500), 1), LG_ERR_INVALID);
  assert_int_equal(lead->n_attrs, 0);
  assert_int_equal(lead->n_events, 0);
  lg_lead_free(lead);
}

/* Texts of every length from 0 to 40 bytes (the short copies have cases
 * at 1-3, 4-7, 8-16 and beyond), each its own attribute and then written
 * over a longer and a shorter one: read back byte for byte. */
static void texts_of_every_short_length_are_stored_whole(void **state) {
  lg_lead    *lead = new_lead("l");
  char        text[41], name[8];
  const char *got;
  size_t      len, i;
  (void)state;
  for (len = 0; len <= 40; len++) {
    for (i = 0; i < len; i++) text[i] = (char)('A' + (len + i) % 26);
    text[len] = '\0';
    snprintf(name, sizeof name, "t%zu", len);
    assert_int_equal(lg_lead_set_text(lead, name, text), LG_OK);
    assert_int_equal(lg_lead_get_text(lead, name, &got), LG_OK);
    assert_int_equal(strlen(got), len);
    assert_memory_equal(got, text, len + 1);
    assert_int_equal(lg_lead_set_text(lead, "w", text), LG_OK);
    assert_int_equal(lg_lead_get_text(lead, "w", &got), LG_OK);
    assert_string_equal(got, text);
  }
  for (len = 40; len-- > 0;) {
    snprintf(name, sizeof name, "t%zu", len);
    assert_int_equal(lg_lead_get_text(lead, name, &got), LG_OK);
    assert_int_equal(strlen(got), len);
    for (i = 0; i < len; i++) assert_int_equal(got[i], 'A' + (len + i) % 26);
  }
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void text_of_1024_bytes_fits_and_1025_is_a_limit_error(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "t", repeat('q', 1024)), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_int_equal(strlen(s), 1024);
  assert_int_equal(lg_lead_set_text(lead, "t", repeat('r', 1025)), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_set_text(lead, "u", repeat('r', 2000)), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, repeat('q', 1024));
  assert_int_equal(lg_lead_attr_type(lead, "u"), LG_VALUE_NONE);
  /* 1024 bytes of 4-byte characters is still 1024 bytes. */
  {
    char   emoji[1025];
    size_t k;
    for (k = 0; k < 1024; k += 4) memcpy(emoji + k, "\xf0\x9f\x98\x80", 4);
    emoji[1024] = '\0';
    assert_int_equal(lg_lead_set_text(lead, "e", emoji), LG_OK);
  }
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void empty_text_is_a_valid_value(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "t", ""), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, "");
  assert_int_equal(lg_lead_set_text(lead, "t", "grown"), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, "grown");
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void non_utf8_text_is_invalid_and_changes_nothing(void **state) {
  static const char *bad[] = {"\xff",         "ab\x80",       "\xc0\x80", "\xed\xa0\x80",
                              "\xe2\x82",     "\xf4\x90\x80\x80", "\xc3",  NULL};
  lg_lead           *lead = new_lead("l");
  const char        *s = NULL;
  size_t             k;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "t", "ok"), LG_OK);
  for (k = 0; bad[k]; k++) {
    assert_int_equal(lg_lead_set_text(lead, "t", bad[k]), LG_ERR_INVALID);
    assert_int_equal(lg_lead_set_text(lead, "new", bad[k]), LG_ERR_INVALID);
  }
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, "ok");
  assert_int_equal(lead->n_attrs, 1);
  assert_int_equal(lg_lead_set_text(lead, "t", "Müller – 東京 😀"), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, "Müller – 東京 😀");
  lg_lead_free(lead);
}

static void the_256th_attribute_fits_and_the_257th_is_a_limit_error(void **state) {
  lg_lead *lead = new_lead("l");
  char     name[16];
  int      k;
  int64_t  v = 0;
  (void)state;
  for (k = 0; k < LG_MAX_ATTRIBUTES; k++) {
    snprintf(name, sizeof name, "a%d", k);
    assert_int_equal(lg_lead_set_int(lead, name, k), LG_OK);
  }
  assert_int_equal(lg_lead_set_int(lead, "one_more", 1), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_set_text(lead, "one_more", "x"), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_set_bool(lead, "one_more", 1), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_set_text(lead, "a17", "replacing is fine"), LG_OK);
  assert_int_equal(lg_lead_unset(lead, "a3"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "one_more", 1), LG_OK);
  assert_int_equal(lead->n_attrs, LG_MAX_ATTRIBUTES);
  for (k = 0; k < LG_MAX_ATTRIBUTES; k++) {
    snprintf(name, sizeof name, "a%d", k);
    if (k == 3 || k == 17) continue;
    assert_int_equal(lg_lead_get_int(lead, name, &v), LG_OK);
    assert_int_equal(v, k);
  }
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void unset_removes_only_that_attribute(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  int64_t     v = 0;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "a", "alpha"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "b", 2), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "c", "gamma"), LG_OK);
  assert_int_equal(lg_lead_unset(lead, "a"), LG_OK);
  assert_int_equal(lg_lead_attr_type(lead, "a"), LG_VALUE_NONE);
  assert_int_equal(lg_lead_unset(lead, "a"), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_lead_get_int(lead, "b", &v), LG_OK);
  assert_int_equal(v, 2);
  assert_int_equal(lg_lead_get_text(lead, "c", &s), LG_OK);
  assert_string_equal(s, "gamma");
  assert_arena_consistent(lead);
  assert_int_equal(lg_lead_set_text(lead, "a", "again"), LG_OK);
  assert_int_equal(lg_lead_get_text(lead, "a", &s), LG_OK);
  assert_string_equal(s, "again");
  lg_lead_free(lead);
}

static void internal_attribute_lookup_finds_by_exact_name(void **state) {
  lg_lead        *lead = new_lead("l");
  const lg__attr *a;
  (void)state;
  assert_int_equal(lg_lead_set_int(lead, "need", 3), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "needs", 4), LG_OK);
  a = lg__lead_find_attr(lead, "need", 4);
  assert_non_null(a);
  assert_int_equal(a->value, 3);
  assert_int_equal(a->name_len, 4);
  a = lg__lead_find_attr(lead, "needs", 5);
  assert_non_null(a);
  assert_int_equal(a->value, 4);
  assert_null(lg__lead_find_attr(lead, "nee", 3));
  lg_lead_free(lead);
}

static void shorter_text_is_rewritten_in_place(void **state) {
  lg_lead    *lead = new_lead("l");
  const char *s = NULL;
  uint32_t    len;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "t", "a long value"), LG_OK);
  len = lead->arena_len;
  assert_int_equal(lg_lead_set_text(lead, "t", "short"), LG_OK);
  assert_int_equal(lead->arena_len, len);
  assert_int_equal(lead->arena_garbage, 7);
  assert_int_equal(lg_lead_get_text(lead, "t", &s), LG_OK);
  assert_string_equal(s, "short");
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

static void a_lead_may_be_given_its_own_strings_back(void **state) {
  lg_lead    *lead = new_lead("lead");
  const char *s = NULL;
  int         k;
  (void)state;
  assert_int_equal(lg_lead_set_text(lead, "a", "the value of a"), LG_OK);
  for (k = 0; k < 40; k++) { /* grows and compacts the arena meanwhile */
    char name[8];
    assert_int_equal(lg_lead_get_text(lead, "a", &s), LG_OK);
    snprintf(name, sizeof name, "c%d", k);
    assert_int_equal(lg_lead_set_text(lead, name, s), LG_OK);
    assert_int_equal(lg_lead_get_text(lead, "a", &s), LG_OK);
    assert_int_equal(lg_lead_set_text(lead, "a", s), LG_OK);
    assert_int_equal(lg_lead_set_text(lead, "a", s + 1), LG_OK);
    assert_int_equal(lg_lead_set_text(lead, "a", "the value of a"), LG_OK);
  }
  assert_int_equal(lg_lead_get_text(lead, "c39", &s), LG_OK);
  assert_string_equal(s, "the value of a");
  assert_int_equal(lg_lead_set_text(lead, lg_lead_id(lead), lg_lead_id(lead)), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, lg_lead_id(lead), 5), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "rep-1", 10), LG_OK);
  assert_int_equal(lg_lead_assign(lead, lg_lead_owner(lead), 20), LG_OK);
  assert_string_equal(lg_lead_owner(lead), "rep-1");
  assert_int_equal(lg_lead_get_text(lead, "lead", &s), LG_OK);
  assert_string_equal(s, "lead");
  assert_arena_consistent(lead);
  lg_lead_free(lead);
}

/* ---- arena compaction ---------------------------------------------------- */

static uint32_t rng_next(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void arena_compaction_keeps_values_right_after_many_replacements(void **state) {
  lg_lead    *lead = new_lead("compact-me");
  char        model[8][200];
  char        name[8];
  const char *s;
  uint32_t    seed = 12345, max_cap = 0;
  int         round, k;
  (void)state;
  for (k = 0; k < 8; k++) model[k][0] = '\0';
  assert_int_equal(lg_lead_add_event(lead, "visit", 1), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "owner", 1), LG_OK);
  for (round = 0; round < 3000; round++) {
    int    which = (int)(rng_next(&seed) % 8);
    size_t len = rng_next(&seed) % 150;
    for (k = 0; k < (int)len; k++) model[which][k] = (char)('a' + (round + k) % 26);
    model[which][len] = '\0';
    snprintf(name, sizeof name, "v%d", which);
    if (round % 17 == 0) {
      assert_int_equal(lg_lead_set_int(lead, name, round), LG_OK);
      model[which][0] = '\0';
      strcpy(model[which], "#int");
    } else {
      assert_int_equal(lg_lead_set_text(lead, name, model[which]), LG_OK);
    }
    if (lead->arena_cap > max_cap) max_cap = lead->arena_cap;
    assert_arena_consistent(lead);
    for (k = 0; k < 8; k++) {
      snprintf(name, sizeof name, "v%d", k);
      if (strcmp(model[k], "#int") == 0 || lg_lead_attr_type(lead, name) == LG_VALUE_NONE)
        continue;
      assert_int_equal(lg_lead_get_text(lead, name, &s), LG_OK);
      assert_string_equal(s, model[k]);
    }
  }
  /* Live strings stay under 8 x 151 + 40 bytes; without compaction the
   * arena would have grown to hundreds of kilobytes. */
  assert_true(max_cap < 4 * (8 * 151 + 40));
  assert_string_equal(lg_lead_id(lead), "compact-me");
  assert_string_equal(lg_lead_owner(lead), "owner");
  assert_string_equal(lg__lead_str(lead, lg__evtype_off(&lead->types[0])), "visit");
  lg_lead_free(lead);
}

/* ---- events -------------------------------------------------------------- */

static const char *event_type_name(const lg_lead *lead, uint32_t i) {
  return lg__lead_str(lead, lg__evtype_off(&lead->types[lead->ev_type[i]]));
}

static void events_in_time_order_are_appended_and_types_shared(void **state) {
  static const char *types[] = {"demo_requested", "content_download", "webinar", "visit"};
  lg_lead           *lead = new_lead("l");
  uint32_t           i;
  (void)state;
  for (i = 0; i < 8; i++)
    assert_int_equal(lg_lead_add_event(lead, types[i % 4], (lg_time)i * 100), LG_OK);
  assert_int_equal(lg_lead_event_count(lead), 8);
  assert_int_equal(lead->n_types, 4);
  for (i = 0; i < 8; i++) {
    assert_int_equal(lead->ev_at[i], (lg_time)i * 100);
    assert_string_equal(event_type_name(lead, i), types[i % 4]);
  }
  assert_int_equal(lg__lead_find_type(lead, "webinar", 7), 2);
  assert_int_equal(lg__lead_find_type(lead, "webin", 5), -1);
  assert_int_equal(lg__lead_find_type(lead, "visits", 6), -1);
  /* A longer name sharing the first byte must not read past the stored one
   * ("visit" is the last string of the arena). */
  assert_int_equal(lg__lead_find_type(lead, repeat('v', 64), 64), -1);
  assert_int_equal(lg__lead_find_attr(lead, "visit", 5) == NULL, 1);
  lg_lead_free(lead);
}

static void events_at_equal_times_keep_insertion_order(void **state) {
  static const char *expect[] = {"d", "a", "b", "c", "e", "f"};
  lg_lead           *lead = new_lead("l");
  uint32_t           i;
  (void)state;
  assert_int_equal(lg_lead_add_event(lead, "a", 10), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "b", 10), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "c", 10), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "f", 20), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "d", 5), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "e", 10), LG_OK);
  for (i = 0; i < 6; i++) assert_string_equal(event_type_name(lead, i), expect[i]);
  assert_int_equal(lg__lead_events_upto(lead, 4), 0);
  assert_int_equal(lg__lead_events_upto(lead, 5), 1);
  assert_int_equal(lg__lead_events_upto(lead, 9), 1);
  assert_int_equal(lg__lead_events_upto(lead, 10), 5);
  assert_int_equal(lg__lead_events_upto(lead, 19), 5);
  assert_int_equal(lg__lead_events_upto(lead, 20), 6);
  assert_int_equal(lg__lead_events_upto(lead, LG_TIME_MAX), 6);
  lg_lead_free(lead);
}

static void events_out_of_order_end_sorted(void **state) {
  enum { N = 600 };
  static lg_time at[N];
  static int     type[N], order[N];
  lg_lead       *lead = new_lead("l");
  uint32_t       seed = 99;
  char           name[8];
  int            i, j;
  lg_time        now;
  (void)state;
  for (i = 0; i < N; i++) {
    at[i] = (lg_time)(rng_next(&seed) % 60) - 30;
    type[i] = (int)(rng_next(&seed) % 7);
    snprintf(name, sizeof name, "t%d", type[i]);
    assert_int_equal(lg_lead_add_event(lead, name, at[i]), LG_OK);
  }
  /* Expected: a stable insertion sort of the model by time. */
  for (i = 0; i < N; i++) {
    for (j = i; j > 0 && at[order[j - 1]] > at[i]; j--) order[j] = order[j - 1];
    order[j] = i;
  }
  assert_int_equal(lg_lead_event_count(lead), N);
  for (i = 0; i < N; i++) {
    snprintf(name, sizeof name, "t%d", type[order[i]]);
    assert_int_equal(lead->ev_at[i], at[order[i]]);
    assert_string_equal(event_type_name(lead, (uint32_t)i), name);
  }
  for (now = -32; now <= 32; now++) {
    uint32_t count = 0;
    for (i = 0; i < N; i++) count += at[i] <= now;
    assert_int_equal(lg__lead_events_upto(lead, now), count);
  }
  lg_lead_free(lead);
}

static void add_event_rejects_bad_arguments_and_times(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_add_event(NULL, "visit", 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_event(lead, NULL, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_event(lead, "Visit", 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_event(lead, "visit", LG_TIME_MIN - 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_add_event(lead, "visit", LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_add_event(lead, "visit", LG_TIME_NEVER), LG_ERR_RANGE);
  assert_int_equal(lg_lead_add_event(lead, "visit", INT64_MIN), LG_ERR_RANGE);
  assert_int_equal(lg_lead_event_count(lead), 0);
  assert_int_equal(lead->n_types, 0);
  assert_int_equal(lg_lead_add_event(lead, "visit", LG_TIME_MAX), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "visit", LG_TIME_MIN), LG_OK);
  assert_int_equal(lead->ev_at[0], LG_TIME_MIN);
  assert_int_equal(lg_lead_event_count(lead), 2);
  lg_lead_free(lead);
}

static void the_10000th_event_fits_and_the_10001st_is_a_limit_error(void **state) {
  lg_lead *lead = new_lead("l");
  char     name[16];
  int      i;
  (void)state;
  for (i = 0; i < LG_MAX_EVENTS; i++) {
    snprintf(name, sizeof name, "e%d", i % 500);
    assert_int_equal(lg_lead_add_event(lead, name, (lg_time)(i * 7 % 1000)), LG_OK);
  }
  assert_int_equal(lg_lead_event_count(lead), LG_MAX_EVENTS);
  assert_int_equal(lg_lead_add_event(lead, "e1", 0), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_add_event(lead, "brand_new", 0), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_event_count(lead), LG_MAX_EVENTS);
  assert_int_equal(lead->n_types, 500);
  assert_true(lead->cap_events <= LG_MAX_EVENTS);
  for (i = 1; i < LG_MAX_EVENTS; i++) assert_true(lead->ev_at[i - 1] <= lead->ev_at[i]);
  lg_lead_free(lead);
}

/* ---- stages -------------------------------------------------------------- */

/* The transitions documented at lg_lead_set_stage, written out as a 9 x 9 table:
 * allowed[from][to]; the diagonal is the no-op of setting the same stage. */
static const int allowed[9][9] = {
  /*              NEW NUR MQL SAL SQL OPP WON LOS DIS */
  /* NEW */       {1,  1,  1,  0,  0,  0,  0,  0,  1},
  /* NURTURE */   {0,  1,  1,  0,  0,  0,  0,  0,  1},
  /* MQL */       {0,  1,  1,  1,  0,  0,  0,  0,  1},
  /* SAL */       {0,  1,  0,  1,  1,  0,  0,  0,  1},
  /* SQL */       {0,  1,  0,  0,  1,  1,  0,  0,  1},
  /* OPP */       {0,  0,  0,  0,  0,  1,  1,  1,  0},
  /* WON */       {0,  0,  0,  0,  0,  0,  1,  0,  0},
  /* LOST */      {0,  1,  0,  0,  0,  0,  0,  1,  0},
  /* DISQ */      {0,  1,  0,  0,  0,  0,  0,  0,  1},
};

static void every_stage_transition_follows_the_documented_table(void **state) {
  int from, to, checked = 0;
  (void)state;
  for (from = 0; from < 9; from++) {
    for (to = 0; to < 9; to++) {
      lg_lead  *lead = new_lead("l");
      lg_time   before;
      lg_status st;
      reach_stage(lead, (lg_stage)from);
      assert_int_equal(lg_lead_stage(lead), from);
      before = lead->stage_at;
      st = lg_lead_set_stage(lead, (lg_stage)to, 500);
      if (allowed[from][to]) {
        assert_int_equal(st, LG_OK);
        assert_int_equal(lg_lead_stage(lead), to);
        assert_int_equal(lead->stage_at, from == to ? before : 500);
      } else {
        assert_int_equal(st, LG_ERR_STATE);
        assert_int_equal(lg_lead_stage(lead), from);
        assert_int_equal(lead->stage_at, before);
      }
      checked++;
      lg_lead_free(lead);
    }
  }
  assert_int_equal(checked, 81);
}

static void set_stage_rejects_bad_arguments(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lead->stage_at, LG_TIME_NEVER);
  assert_int_equal(lg_lead_set_stage(NULL, LG_STAGE_MQL, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_stage(lead, (lg_stage)9, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_stage(lead, (lg_stage)-1, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, LG_TIME_MIN - 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_NEW, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_WON, 0), LG_ERR_STATE);
  assert_int_equal(lg_lead_stage(lead), LG_STAGE_NEW);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, 77), LG_OK);
  assert_int_equal(lead->stage_at, 77);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, 99), LG_OK);
  assert_int_equal(lead->stage_at, 77);
  lg_lead_free(lead);
}

/* ---- follow-up timeline -------------------------------------------------- */

static void assigning_sets_the_owner_and_counts_reassignments(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_assign(lead, "rep-a", 100), LG_OK);
  assert_string_equal(lg_lead_owner(lead), "rep-a");
  assert_int_equal(lg_lead_assignment_count(lead), 1);
  assert_int_equal(lead->asg[0].assigned_at, 100);
  assert_int_equal(lead->asg[0].touched_at, LG_TIME_NEVER);
  assert_int_equal(lead->asg[0].recorded, 0);
  assert_int_equal(lg_lead_assign(lead, "rep-b", 100), LG_OK); /* same time is fine */
  assert_int_equal(lg_lead_assign(lead, "rep-a", 300), LG_OK);
  assert_string_equal(lg_lead_owner(lead), "rep-a");
  assert_int_equal(lg_lead_assignment_count(lead), 3);
  assert_string_equal(lg__lead_str(lead, lead->asg[1].owner), "rep-b");
  assert_int_equal(lg_lead_assign(lead, "rep-c", 299), LG_ERR_STATE);
  assert_int_equal(lg_lead_assignment_count(lead), 3);
  assert_string_equal(lg_lead_owner(lead), "rep-a");
  lg_lead_free(lead);
}

static void assign_rejects_bad_arguments(void **state) {
  lg_lead *lead = new_lead("l");
  char     owner256[257], owner257[258];
  (void)state;
  memcpy(owner256, repeat('o', 256), 257);
  memcpy(owner257, repeat('o', 257), 258);
  assert_int_equal(lg_lead_assign(NULL, "rep", 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assign(lead, NULL, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assign(lead, "", 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assign(lead, owner257, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assign(lead, "r\xff", 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assign(lead, "rep", LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_assign(lead, "rep", LG_TIME_MIN - 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_assignment_count(lead), 0);
  assert_int_equal(lg_lead_assign(lead, owner256, LG_TIME_MIN), LG_OK);
  assert_string_equal(lg_lead_owner(lead), owner256);
  assert_int_equal(lg_lead_assign(lead, "Łukasz", LG_TIME_MAX), LG_OK);
  assert_string_equal(lg_lead_owner(lead), "Łukasz");
  lg_lead_free(lead);
}

static void the_1000th_assignment_fits_and_the_1001st_is_a_limit_error(void **state) {
  lg_lead *lead = new_lead("l");
  char     owner[16];
  int      i;
  (void)state;
  for (i = 0; i < LG_MAX_ASSIGNMENTS; i++) {
    snprintf(owner, sizeof owner, "rep-%d", i % 7);
    assert_int_equal(lg_lead_assign(lead, owner, i), LG_OK);
  }
  assert_int_equal(lg_lead_assign(lead, "rep-x", 5000), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_assignment_count(lead), LG_MAX_ASSIGNMENTS);
  assert_string_equal(lg_lead_owner(lead), "rep-5"); /* 999 % 7 */
  lg_lead_free(lead);
}

static void touch_keeps_the_earliest_touch_of_the_current_assignment(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_assign(lead, "a", 100), LG_OK);
  assert_int_equal(lg_lead_touch(lead, 200), LG_OK);
  assert_int_equal(lead->asg[0].touched_at, 200);
  assert_int_equal(lg_lead_touch(lead, 300), LG_OK);
  assert_int_equal(lead->asg[0].touched_at, 200);
  assert_int_equal(lg_lead_touch(lead, 100), LG_OK);
  assert_int_equal(lead->asg[0].touched_at, 100);
  assert_int_equal(lg_lead_assign(lead, "b", 400), LG_OK);
  assert_int_equal(lead->asg[1].touched_at, LG_TIME_NEVER);
  assert_int_equal(lg_lead_touch(lead, 399), LG_ERR_STATE);
  assert_int_equal(lg_lead_touch(lead, 450), LG_OK);
  assert_int_equal(lead->asg[0].touched_at, 100);
  assert_int_equal(lead->asg[1].touched_at, 450);
  lg_lead_free(lead);
}

static void touch_rejects_bad_arguments_and_unassigned_leads(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_touch(NULL, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_touch(lead, 0), LG_ERR_STATE);
  assert_int_equal(lg_lead_touch(lead, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_assign(lead, "a", 0), LG_OK);
  assert_int_equal(lg_lead_touch(lead, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_touch(lead, LG_TIME_MIN - 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_touch(lead, -1), LG_ERR_STATE);
  assert_int_equal(lead->asg[0].touched_at, LG_TIME_NEVER);
  assert_int_equal(lg_lead_touch(lead, 0), LG_OK);
  assert_int_equal(lead->asg[0].touched_at, 0);
  lg_lead_free(lead);
}

static void record_action_sets_its_bit_in_the_current_assignment(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_assign(lead, "a", 10), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 20), LG_OK);
  assert_int_equal(lead->asg[0].recorded, 1u << LG_ACTION_WARN);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 30), LG_OK);
  assert_int_equal(lead->asg[0].recorded, 1u << LG_ACTION_WARN);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_ESCALATE, 10), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_RECYCLE, 40), LG_OK);
  assert_int_equal(lead->asg[0].recorded, (1u << LG_ACTION_WARN) | (1u << LG_ACTION_ESCALATE) |
                                              (1u << LG_ACTION_RECYCLE));
  assert_int_equal(lg_lead_assign(lead, "b", 50), LG_OK);
  assert_int_equal(lead->asg[1].recorded, 0);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_REMIND, 60), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_REASSIGN, 60), LG_OK);
  assert_int_equal(lead->asg[1].recorded,
                   (1u << LG_ACTION_REMIND) | (1u << LG_ACTION_REASSIGN));
  assert_int_equal(lead->asg[0].recorded, (1u << LG_ACTION_WARN) | (1u << LG_ACTION_ESCALATE) |
                                              (1u << LG_ACTION_RECYCLE));
  lg_lead_free(lead);
}

static void record_action_rejects_bad_actions_times_and_states(void **state) {
  lg_lead *lead = new_lead("l");
  (void)state;
  assert_int_equal(lg_lead_record_action(NULL, LG_ACTION_WARN, 0), LG_ERR_INVALID);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 0), LG_ERR_STATE);
  assert_int_equal(lg_lead_assign(lead, "a", 100), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_NONE, 100), LG_ERR_INVALID);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_RECYCLE + 1, 100), LG_ERR_INVALID);
  assert_int_equal(lg_lead_record_action(lead, (lg_action)-1, 100), LG_ERR_INVALID);
  assert_int_equal(lg_lead_record_action(lead, (lg_action)31, 100), LG_ERR_INVALID);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, LG_TIME_MAX + 1), LG_ERR_RANGE);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 99), LG_ERR_STATE);
  assert_int_equal(lead->asg[0].recorded, 0);
  lg_lead_free(lead);
}

/* ---- clone --------------------------------------------------------------- */

static lg_lead *full_lead(void) {
  lg_lead *lead = new_lead("full-lead");
  assert_int_equal(lg_lead_set_text(lead, "industry", "software"), LG_OK);
  assert_int_equal(lg_lead_set_int(lead, "employees", 250), LG_OK);
  assert_int_equal(lg_lead_set_bool(lead, "opted_in", 1), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "role", "a replaced value"), LG_OK);
  assert_int_equal(lg_lead_set_text(lead, "role", "decision maker, longer"), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "visit", 30), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "demo_requested", 10), LG_OK);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, 40), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "rep-a", 50), LG_OK);
  assert_int_equal(lg_lead_touch(lead, 60), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "rep-b", 70), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 80), LG_OK);
  assert_int_equal(lg_lead_snooze(lead, 75, 90), LG_OK);
  return lead;
}

static void a_clone_is_deep_and_independent(void **state) {
  lg_lead    *lead = full_lead(), *c = NULL;
  char       *orig, *copy;
  const char *s = NULL;
  (void)state;
  assert_int_equal(lg_lead_clone(lead, &c), LG_OK);
  orig = lead_dump(lead);
  copy = lead_dump(c);
  assert_string_equal(orig, copy);
  assert_int_equal(c->arena_garbage, 0);
  assert_arena_consistent(c);
  assert_true(c->arena != lead->arena && c->attrs != lead->attrs && c->ev_at != lead->ev_at);
  /* Changing the original leaves the clone as it was, and back. */
  assert_int_equal(lg_lead_set_text(lead, "industry", "retail and much longer"), LG_OK);
  assert_int_equal(lg_lead_unset(lead, "employees"), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "visit", 1), LG_OK);
  assert_int_equal(lg_lead_touch(lead, 75), LG_OK);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_SAL, 90), LG_OK);
  free(copy);
  copy = lead_dump(c);
  assert_string_equal(orig, copy);
  free(copy);
  free(orig);
  orig = lead_dump(lead);
  assert_int_equal(lg_lead_set_int(c, "industry", 1), LG_OK);
  assert_int_equal(lg_lead_assign(c, "rep-c", 100), LG_OK);
  copy = lead_dump(lead);
  assert_string_equal(orig, copy);
  lg_lead_free(lead);
  /* The clone lives on alone and keeps growing normally. */
  assert_string_equal(lg_lead_id(c), "full-lead");
  assert_int_equal(lg_lead_get_text(c, "role", &s), LG_OK);
  assert_string_equal(s, "decision maker, longer");
  assert_int_equal(lg_lead_add_event(c, "visit", 5), LG_OK);
  assert_int_equal(lg_lead_add_event(c, "new_type", 95), LG_OK);
  assert_int_equal(lg_lead_set_text(c, "more", "x"), LG_OK);
  assert_int_equal(lg_lead_event_count(c), 4);
  assert_int_equal(c->ev_at[1], 10);
  assert_string_equal(event_type_name(c, 3), "new_type");
  assert_arena_consistent(c);
  free(orig);
  free(copy);
  lg_lead_free(c);
}

static void a_clone_of_an_empty_lead_is_empty(void **state) {
  lg_lead *lead = new_lead("e"), *c = NULL;
  (void)state;
  assert_int_equal(lg_lead_clone(lead, &c), LG_OK);
  assert_string_equal(lg_lead_id(c), "e");
  assert_int_equal(lg_lead_event_count(c), 0);
  assert_int_equal(lg_lead_add_event(c, "a", 1), LG_OK);
  assert_int_equal(lg_lead_set_int(c, "a", 1), LG_OK);
  assert_int_equal(lg_lead_assign(c, "a", 1), LG_OK);
  lg_lead_free(c);
  lg_lead_free(lead);
}

static void clone_rejects_null_arguments(void **state) {
  lg_lead *lead = new_lead("l"), *c = (lg_lead *)&c, *keep = c;
  (void)state;
  assert_int_equal(lg_lead_clone(NULL, &c), LG_ERR_INVALID);
  assert_int_equal(lg_lead_clone(lead, NULL), LG_ERR_INVALID);
  assert_ptr_equal(c, keep);
  lg_lead_free(lead);
}

/* ---- allocation failure at every allocation point ------------------------ */

typedef struct set_arg {
  const char *name, *text;
  int64_t     num;
} set_arg;

static lg_status op_set_text(lg_lead *lead, const void *arg) {
  const set_arg *a = arg;
  return lg_lead_set_text(lead, a->name, a->text);
}
static lg_status op_set_int(lg_lead *lead, const void *arg) {
  const set_arg *a = arg;
  return lg_lead_set_int(lead, a->name, a->num);
}
static lg_status op_set_bool(lg_lead *lead, const void *arg) {
  const set_arg *a = arg;
  return lg_lead_set_bool(lead, a->name, (int)a->num);
}
static lg_status op_add_event(lg_lead *lead, const void *arg) {
  const set_arg *a = arg;
  return lg_lead_add_event(lead, a->name, a->num);
}
static lg_status op_assign(lg_lead *lead, const void *arg) {
  const set_arg *a = arg;
  return lg_lead_assign(lead, a->name, a->num);
}

static void every_allocation_failure_of_a_setter_leaves_the_lead_unchanged(void **state) {
  lg_lead *lead = new_lead("fail-lead");
  set_arg  a;
  int      k, points = 0;
  char     name[8];
  (void)state;
  a.name = "first";
  a.text = "first text"; /* arena growth, then a fresh attribute table */
  assert_int_equal(fail_every_allocation(lead, op_set_text, &a), 2);
  for (k = 0; k < 6; k++) { /* the 5th attribute grows the table */
    snprintf(name, sizeof name, "n%d", k);
    a.name = name;
    a.num = k;
    points += fail_every_allocation(lead, k % 2 ? op_set_int : op_set_bool, &a);
  }
  assert_true(points >= 7);
  a.name = "first";
  a.text = "a longer text than before";
  assert_int_equal(fail_every_allocation(lead, op_set_text, &a), 1);
  a.text = "short";
  assert_int_equal(fail_every_allocation(lead, op_set_text, &a), 0);
  a.num = 5; /* text to int: no allocation */
  assert_int_equal(fail_every_allocation(lead, op_set_int, &a), 0);
  /* Leave garbage behind (setting an int needs no space, so it does not
   * compact) so that the next set that needs more space than is free
   * compacts the arena instead of growing it. */
  for (k = 0; k < 4; k++) {
    snprintf(name, sizeof name, "junk%d", k);
    assert_int_equal(lg_lead_set_text(lead, name, repeat('j', 200)), LG_OK);
  }
  for (k = 0; k < 4; k++) {
    snprintf(name, sizeof name, "junk%d", k);
    assert_int_equal(lg_lead_set_int(lead, name, k), LG_OK);
  }
  assert_true(lead->arena_garbage > lead->arena_len / 2);
  a.name = "after_compaction";
  a.text = repeat('v', LG_MAX_TEXT_BYTES);
  assert_true(lead->arena_cap - lead->arena_len < LG_MAX_TEXT_BYTES);
  assert_true(fail_every_allocation(lead, op_set_text, &a) >= 1);
  assert_true(lead->arena_garbage <= lead->arena_len / 2);
  lg_lead_free(lead);
}

static void every_allocation_failure_of_add_event_leaves_the_lead_unchanged(void **state) {
  lg_lead *lead = new_lead("fail-lead");
  set_arg  a;
  int      k;
  char     name[8];
  (void)state;
  a.text = NULL;
  a.name = "visit";
  a.num = 100; /* arena, fresh type table, fresh event block */
  assert_int_equal(fail_every_allocation(lead, op_add_event, &a), 3);
  for (k = 0; k < 8; k++) { /* new types, type table growth, event growth */
    snprintf(name, sizeof name, "t%d", k % 5);
    a.name = name;
    a.num = 50 - k; /* out of order: inserted before */
    assert_int_equal(fail_every_allocation(lead, op_add_event, &a), k < 5 ? 3 : 1);
  }
  assert_int_equal(lg_lead_event_count(lead), 9);
  assert_int_equal(lead->n_types, 6);
  lg_lead_free(lead);
}

static void every_allocation_failure_of_assign_leaves_the_lead_unchanged(void **state) {
  lg_lead *lead = new_lead("fail-lead");
  set_arg  a;
  int      k;
  (void)state;
  a.text = NULL;
  a.name = "rep-1";
  a.num = 10;
  assert_int_equal(fail_every_allocation(lead, op_assign, &a), 2);
  for (k = 0; k < 5; k++) { /* on a clone both the arena and the table grow */
    a.num = 20 + k;
    assert_int_equal(fail_every_allocation(lead, op_assign, &a), 2);
  }
  assert_int_equal(lg_lead_assignment_count(lead), 6);
  lg_lead_free(lead);
}

static void every_allocation_failure_of_create_and_clone_leaks_nothing(void **state) {
  lg_lead *lead, *keep, *src = full_lead();
  char    *before = lead_dump(src), *after;
  int      n;
  (void)state;
  for (n = 1;; n++) {
    lead = keep = (lg_lead *)&lead;
    ts_alloc_fail_at(n, 1);
    if (lg_lead_create("new", &lead) == LG_OK) break;
    assert_true(ts_alloc_failed());
    assert_ptr_equal(lead, keep);
    assert_int_equal(ts_alloc_live_blocks(), 1 + 6 /* src */);
  }
  ts_alloc_fail_at(0, 0);
  assert_int_equal(n, 2); /* one block: the lead and its id */
  lg_lead_free(lead);
  for (n = 1;; n++) {
    lead = keep = (lg_lead *)&lead;
    ts_alloc_fail_at(n, 1);
    if (lg_lead_clone(src, &lead) == LG_OK) break;
    assert_true(ts_alloc_failed());
    assert_ptr_equal(lead, keep);
    assert_int_equal(ts_alloc_live_blocks(), 7);
    after = lead_dump(src);
    assert_string_equal(before, after);
    free(after);
  }
  ts_alloc_fail_at(0, 0);
  assert_int_equal(n, 8); /* lead, attrs, types, asg, snoozes, events, arena */
  after = lead_dump(lead);
  assert_string_equal(before, after);
  free(after);
  free(before);
  lg_lead_free(lead);
  lg_lead_free(src);
}

/* The id's pointer stays valid for the lead's lifetime: growing and
 * compacting the string arena (long texts replaced many times, new types,
 * owners) never moves it.  Under ASan a moved id would be a use after
 * free. */
static void the_id_string_lives_as_long_as_the_lead(void **state) {
  lg_lead    *lead = new_lead("lead-stays");
  const char *id = lg_lead_id(lead);
  char        text[600], name[16];
  int         k;
  (void)state;
  memset(text, 'x', sizeof text - 1);
  text[sizeof text - 1] = '\0';
  for (k = 0; k < 40; k++) {
    snprintf(name, sizeof name, "t%d", k % 3);
    text[k] = 'y'; /* a new value each time: the old one becomes garbage */
    assert_int_equal(lg_lead_set_text(lead, name, text), LG_OK);
    snprintf(name, sizeof name, "e%d", k);
    assert_int_equal(lg_lead_add_event(lead, name, 1700000000 + k), LG_OK);
    assert_string_equal(id, "lead-stays");
  }
  assert_int_equal(lg_lead_assign(lead, "rep-a", 1700000000), LG_OK);
  assert_true(lg_lead_id(lead) == id);
  assert_string_equal(id, "lead-stays");
  lg_lead_free(lead);
}

/* ---- snoozes ------------------------------------------------------------------ */

/* The stored snoozes of assignment i, as "from-until;" text. */
static void snoozes_of(const lg_lead *lead, uint32_t i, char *out, size_t cap) {
  size_t   n = 0;
  uint32_t k;
  out[0] = '\0';
  for (k = 0; k < lead->asg[i].n_snz; k++) {
    const lg__snooze *z = &lead->snz[lead->asg[i].snz + k];
    n += (size_t)snprintf(out + n, cap - n, "%lld-%lld;", (long long)z->from,
                          (long long)z->until);
  }
}

/* Clones copy snoozes, and each copy takes new ones on its own. */
static void clones_copy_snoozes(void **state) {
  lg_lead *lead = new_lead("snoozy"), *c = NULL;
  char     a[256], b[256];
  (void)state;
  assert_int_equal(lg_lead_assign(lead, "ana", 1000), LG_OK);
  assert_int_equal(lg_lead_snooze(lead, 1100, 1200), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "ben", 2000), LG_OK);
  assert_int_equal(lg_lead_snooze(lead, 2500, 2600), LG_OK);
  assert_int_equal(lg_lead_snooze(lead, 2100, 2200), LG_OK);
  assert_int_equal(lg_lead_clone(lead, &c), LG_OK);
  snoozes_of(c, 0, a, sizeof a);
  assert_string_equal(a, "1100-1200;");
  snoozes_of(c, 1, a, sizeof a);
  assert_string_equal(a, "2100-2200;2500-2600;");
  assert_int_equal(lg_lead_snooze(c, 2150, 2550), LG_OK);
  snoozes_of(c, 1, a, sizeof a);
  assert_string_equal(a, "2100-2600;");
  snoozes_of(lead, 1, b, sizeof b);
  assert_string_equal(b, "2100-2200;2500-2600;");
  /* a third owner starts empty, after both others */
  assert_int_equal(lg_lead_assign(c, "cid", 3000), LG_OK);
  assert_int_equal(lg_lead_snooze(c, 3000, 3001), LG_OK);
  snoozes_of(c, 2, a, sizeof a);
  assert_string_equal(a, "3000-3001;");
  snoozes_of(c, 1, a, sizeof a);
  assert_string_equal(a, "2100-2600;");
  lg_lead_free(c);
  lg_lead_free(lead);
}

/* Every allocation lg_lead_snooze makes may fail: LG_ERR_NOMEM, the lead
 * as it was (same snoozes, same blocks), and the same call then works. */
static void every_allocation_failure_of_snooze_leaves_the_lead_unchanged(void **state) {
  lg_lead *lead = new_lead("snoozy");
  char     before[4096], after[4096];
  int      k, failures = 0;
  (void)state;
  assert_int_equal(lg_lead_assign(lead, "ana", 1000), LG_OK);
  for (k = 0; k < 40; k++) { /* growing from none, and from full tables */
    long      blocks = ts_alloc_live_blocks();
    size_t    bytes = ts_alloc_live_bytes();
    lg_status st;
    snoozes_of(lead, 0, before, sizeof before);
    ts_alloc_fail_at(1, 1);
    st = lg_lead_snooze(lead, 2000 + 10 * k, 2005 + 10 * k);
    ts_alloc_fail_at(0, 0);
    snoozes_of(lead, 0, after, sizeof after);
    if (st == LG_OK) continue; /* room was there */
    failures++;
    assert_int_equal(st, LG_ERR_NOMEM);
    assert_string_equal(before, after);
    assert_int_equal(ts_alloc_live_blocks(), blocks);
    assert_int_equal(ts_alloc_live_bytes(), bytes);
    assert_int_equal(lg_lead_snooze(lead, 2000 + 10 * k, 2005 + 10 * k), LG_OK);
  }
  assert_true(failures >= 5); /* 1, 2, 4, 8, 16, 32 */
  /* a merge needs no room: it never allocates */
  ts_alloc_fail_at(1, 1);
  assert_int_equal(lg_lead_snooze(lead, 2000, 2400), LG_OK);
  ts_alloc_fail_at(0, 0);
  assert_int_equal(lead->asg[0].n_snz, 1);
  lg_lead_free(lead);
}

/* ---- memory held by a typical lead ---------------------------------------- */

/* A typical lead: 8 attributes (names ~10 characters, half of them text of
 * ~10 characters) and 8 events of 4 types.  Every name and text here is
 * exactly 10 bytes, and so is the id. */
static lg_lead *typical_lead(void) {
  static const char *names[8] = {"industry_x", "employees_", "job_title_", "country_xx",
                                 "lead_score", "opted_in_x", "timeframe_", "budget_usd"};
  static const char *types[4] = {"demo_reqst", "content_dl", "webinar_at", "page_visit"};
  lg_lead           *lead = new_lead("lead-00042");
  int                k;
  for (k = 0; k < 8; k++) {
    if (k % 2 == 0) assert_int_equal(lg_lead_set_text(lead, names[k], "ten bytes!"), LG_OK);
    else assert_int_equal(lg_lead_set_int(lead, names[k], k * 1000), LG_OK);
  }
  for (k = 0; k < 8; k++)
    assert_int_equal(lg_lead_add_event(lead, types[k % 4], 1700000000 + k * 3600), LG_OK);
  return lead;
}

static void a_typical_lead_holds_only_what_it_needs(void **state) {
  lg_lead *lead, *c = NULL;
  size_t   bytes, strings, exact;
  (void)state;
  lead = typical_lead();
  bytes = ts_alloc_live_bytes();
  strings = 11 + 8 * 11 + 4 * 11 + 4 * 11; /* id, names, texts, types */
  exact = sizeof(lg_lead) + 8 * sizeof(lg__attr) + 8 * (sizeof(lg_time) + sizeof(uint16_t)) +
          4 * sizeof(lg__evtype) + strings;
  print_message("typical lead (8 attributes, 8 events of 4 types): %lu bytes in %ld blocks\n",
                (unsigned long)bytes, ts_alloc_live_blocks());
  /* No slack: every table and the arena are exactly full. */
  assert_int_equal(bytes, exact);
  assert_int_equal(ts_alloc_live_blocks(), 5);
  assert_int_equal(lg_lead_clone(lead, &c), LG_OK);
  assert_int_equal(ts_alloc_live_bytes(), 2 * bytes);
  lg_lead_free(c);
  lg_lead_free(lead);
  /* LP64: 144 (struct) + 8 * 16 (attributes) + 8 * 10 (events) + 4 * 4
   * (types) + 187 (strings). */
  if (sizeof(void *) == 8) assert_int_equal(bytes, 555);
}

/* ---- runner -------------------------------------------------------------- */

/* ---- read-back and repeated assignments ----------------------------------- */

static void attributes_events_and_assignments_read_back_by_index(void **state) {
  lg_lead      *l = new_lead("rb");
  const char   *name, *type, *owner;
  lg_value_type vt;
  lg_time       at, asg, touched;
  size_t        i;
  int           seen = 0;
  (void)state;
  assert_int_equal(lg_lead_set_text(l, "need", "high"), LG_OK);
  assert_int_equal(lg_lead_set_int(l, "employees", 40), LG_OK);
  assert_int_equal(lg_lead_set_bool(l, "opted_in", 1), LG_OK);
  assert_int_equal(lg_lead_add_event(l, "webinar", 300), LG_OK);
  assert_int_equal(lg_lead_add_event(l, "demo", 100), LG_OK);
  assert_int_equal(lg_lead_add_event(l, "webinar", 100), LG_OK);
  assert_int_equal(lg_lead_assign(l, "ana", 1000), LG_OK);
  assert_int_equal(lg_lead_touch(l, 1500), LG_OK);
  assert_int_equal(lg_lead_assign(l, "ben", 2000), LG_OK);

  assert_int_equal(lg_lead_attr_count(l), 3);
  for (i = 0; i < 3; i++) {
    assert_int_equal(lg_lead_attr_at(l, i, &name, &vt), LG_OK);
    if (strcmp(name, "need") == 0) seen |= 1, assert_int_equal(vt, LG_VALUE_TEXT);
    else if (strcmp(name, "employees") == 0) seen |= 2, assert_int_equal(vt, LG_VALUE_INT);
    else if (strcmp(name, "opted_in") == 0) seen |= 4, assert_int_equal(vt, LG_VALUE_BOOL);
  }
  assert_int_equal(seen, 7);
  assert_int_equal(lg_lead_attr_at(l, 3, &name, &vt), LG_ERR_NOT_FOUND);
  assert_int_equal(lg_lead_attr_at(l, 0, NULL, NULL), LG_OK);

  /* time order; equal times keep insertion order */
  assert_int_equal(lg_lead_event_at(l, 0, &type, &at), LG_OK);
  assert_string_equal(type, "demo");
  assert_int_equal(at, 100);
  assert_int_equal(lg_lead_event_at(l, 1, &type, &at), LG_OK);
  assert_string_equal(type, "webinar");
  assert_int_equal(at, 100);
  assert_int_equal(lg_lead_event_at(l, 2, &type, &at), LG_OK);
  assert_string_equal(type, "webinar");
  assert_int_equal(at, 300);
  assert_int_equal(lg_lead_event_at(l, 3, &type, &at), LG_ERR_NOT_FOUND);

  assert_int_equal(lg_lead_assignment_at(l, 0, &owner, &asg, &touched), LG_OK);
  assert_string_equal(owner, "ana");
  assert_int_equal(asg, 1000);
  assert_int_equal(touched, 1500);
  assert_int_equal(lg_lead_assignment_at(l, 1, &owner, &asg, &touched), LG_OK);
  assert_string_equal(owner, "ben");
  assert_int_equal(asg, 2000);
  assert_int_equal(touched, LG_TIME_NEVER);
  assert_int_equal(lg_lead_assignment_at(l, 2, &owner, &asg, &touched), LG_ERR_NOT_FOUND);

  assert_int_equal(lg_lead_attr_at(NULL, 0, &name, &vt), LG_ERR_INVALID);
  assert_int_equal(lg_lead_event_at(NULL, 0, &type, &at), LG_ERR_INVALID);
  assert_int_equal(lg_lead_assignment_at(NULL, 0, &owner, &asg, &touched), LG_ERR_INVALID);
  assert_int_equal(lg_lead_attr_count(NULL), 0);
  lg_lead_free(l);
}

/* A feed that sends the same assignment row twice must not make it a
 * reassignment; another owner at the same instant still is one. */
static void the_same_assignment_twice_is_a_no_op(void **state) {
  lg_lead *l = new_lead("dup");
  long     calls;
  (void)state;
  assert_int_equal(lg_lead_assign(l, "ana", 1000), LG_OK);
  assert_int_equal(lg_lead_touch(l, 1200), LG_OK);
  calls = ts_alloc_calls();
  assert_int_equal(lg_lead_assign(l, "ana", 1000), LG_OK);
  assert_int_equal(ts_alloc_calls(), calls); /* nothing stored */
  assert_int_equal(lg_lead_assignment_count(l), 1);
  /* the touch of the one assignment survives */
  {
    lg_time touched = 0;
    assert_int_equal(lg_lead_assignment_at(l, 0, NULL, NULL, &touched), LG_OK);
    assert_int_equal(touched, 1200);
  }
  assert_int_equal(lg_lead_assign(l, "ana", 1001), LG_OK); /* later: a reassignment */
  assert_int_equal(lg_lead_assignment_count(l), 2);
  assert_int_equal(lg_lead_assign(l, "anna", 1001), LG_OK); /* another owner, same instant */
  assert_int_equal(lg_lead_assignment_count(l), 3);
  assert_int_equal(lg_lead_assign(l, "ana", 1001), LG_OK); /* not the current owner */
  assert_int_equal(lg_lead_assignment_count(l), 4);
  lg_lead_free(l);
}

/* ---- reset, reserve and batches of events ---------------------------------- */

/* Two leads hold the same thing. */
static void assert_same_lead(const lg_lead *a, const lg_lead *b) {
  char *da = lead_dump(a), *db = lead_dump(b);
  assert_string_equal(da, db);
  free(da);
  free(db);
}

/* Fills a lead with a bit of everything lg_lead_reset must clear. */
static void fill_lead(lg_lead *lead, int k) {
  char name[16];
  int  i;
  for (i = 0; i < 11; i++) {
    snprintf(name, sizeof name, "attr_%d", i);
    if (i % 3 == 0) assert_int_equal(lg_lead_set_text(lead, name, "some text value"), LG_OK);
    else if (i % 3 == 1) assert_int_equal(lg_lead_set_int(lead, name, i + k), LG_OK);
    else assert_int_equal(lg_lead_set_bool(lead, name, i & 1), LG_OK);
  }
  for (i = 0; i < 8; i++)
    assert_int_equal(lg_lead_add_event(lead, i % 2 ? "page_view" : "demo_requested", 1000 + i),
                     LG_OK);
  assert_int_equal(lg_lead_set_stage(lead, LG_STAGE_MQL, 2000), LG_OK);
  assert_int_equal(lg_lead_assign(lead, "rep-a", 3000), LG_OK);
  assert_int_equal(lg_lead_touch(lead, 3100), LG_OK);
  assert_int_equal(lg_lead_record_action(lead, LG_ACTION_WARN, 3200), LG_OK);
  assert_int_equal(lg_lead_snooze(lead, 3300, 3400), LG_OK);
}

static void reset_empties_the_lead_as_create_leaves_it(void **state) {
  lg_lead *lead = new_lead("first"), *fresh = new_lead("second");
  (void)state;
  fill_lead(lead, 0);
  assert_int_equal(lg_lead_reset(lead, "second"), LG_OK);
  assert_same_lead(lead, fresh);
  assert_string_equal(lg_lead_id(lead), "second");
  assert_int_equal(lg_lead_attr_count(lead), 0);
  assert_int_equal(lg_lead_event_count(lead), 0);
  assert_int_equal(lg_lead_assignment_count(lead), 0);
  assert_null(lg_lead_owner(lead));
  assert_int_equal(lg_lead_stage(lead), LG_STAGE_NEW);
  assert_int_equal(lg_lead_attr_type(lead, "attr_0"), LG_VALUE_NONE);
  assert_int_equal(lg_lead_touch(lead, 4000), LG_ERR_STATE); /* no assignment left */
  assert_arena_consistent(lead);
  /* Built again, it holds what a new lead built the same way holds. */
  fill_lead(lead, 1);
  fill_lead(fresh, 1);
  assert_same_lead(lead, fresh);
  lg_lead_free(fresh);
  lg_lead_free(lead);
}

static void a_reset_lead_rebuilt_to_the_same_size_allocates_nothing(void **state) {
  lg_lead *lead = new_lead("lead-00001");
  long     calls;
  int      k;
  (void)state;
  fill_lead(lead, 0);
  for (k = 0; k < 5; k++) {
    char id[16];
    snprintf(id, sizeof id, "lead-%05d", k + 2);
    calls = ts_alloc_calls();
    assert_int_equal(lg_lead_reset(lead, id), LG_OK);
    fill_lead(lead, k);
    assert_int_equal(ts_alloc_calls(), calls);
    assert_string_equal(lg_lead_id(lead), id);
  }
  assert_int_equal(ts_alloc_live_blocks(), 7); /* struct, arena, 5 tables */
  lg_lead_free(lead);
}

static void reset_to_a_longer_id_takes_one_block_and_keeps_it(void **state) {
  lg_lead    *lead = new_lead("ab");
  const char *id;
  long        blocks = ts_alloc_live_blocks(), calls;
  (void)state;
  assert_int_equal(lg_lead_reset(lead, "a"), LG_OK); /* shorter: in place */
  assert_int_equal(ts_alloc_live_blocks(), blocks);
  assert_int_equal(lg_lead_reset(lead, "abc"), LG_OK); /* longer: its own block */
  assert_int_equal(ts_alloc_live_blocks(), blocks + 1);
  assert_string_equal(lg_lead_id(lead), "abc");
  calls = ts_alloc_calls();
  assert_int_equal(lg_lead_reset(lead, "xyz"), LG_OK); /* fits that block */
  assert_int_equal(lg_lead_reset(lead, "q"), LG_OK);
  assert_int_equal(ts_alloc_calls(), calls);
  assert_int_equal(lg_lead_reset(lead, repeat('l', LG_MAX_ID_BYTES)), LG_OK); /* a new block */
  assert_int_equal(ts_alloc_live_blocks(), blocks + 1);                     /* the old one freed */
  assert_int_equal(strlen(lg_lead_id(lead)), LG_MAX_ID_BYTES);
  /* The id stays where it is whatever else changes, and may be given back. */
  id = lg_lead_id(lead);
  fill_lead(lead, 0);
  assert_ptr_equal(lg_lead_id(lead), id);
  assert_int_equal(lg_lead_reset(lead, lg_lead_id(lead)), LG_OK);
  assert_int_equal(strlen(lg_lead_id(lead)), LG_MAX_ID_BYTES);
  assert_int_equal(lg_lead_reset(lead, lg_lead_id(lead) + 200), LG_OK); /* overlapping */
  assert_string_equal(lg_lead_id(lead), repeat('l', LG_MAX_ID_BYTES - 200));
  /* An id from the lead's own strings (the arena is not touched by reset). */
  assert_int_equal(lg_lead_set_text(lead, "name", "from-the-arena"), LG_OK);
  {
    const char *text;
    assert_int_equal(lg_lead_get_text(lead, "name", &text), LG_OK);
    assert_int_equal(lg_lead_reset(lead, text), LG_OK);
    assert_string_equal(lg_lead_id(lead), "from-the-arena");
  }
  lg_lead_free(lead);
}

static void reset_rejects_what_create_rejects_and_changes_nothing(void **state) {
  lg_lead *lead = new_lead("keep");
  char    *before, *after;
  (void)state;
  fill_lead(lead, 0);
  before = lead_dump(lead);
  assert_int_equal(lg_lead_reset(NULL, "x"), LG_ERR_INVALID);
  assert_int_equal(lg_lead_reset(lead, NULL), LG_ERR_INVALID);
  assert_int_equal(lg_lead_reset(lead, ""), LG_ERR_INVALID);
  assert_int_equal(lg_lead_reset(lead, repeat('l', LG_MAX_ID_BYTES + 1)), LG_ERR_INVALID);
  assert_int_equal(lg_lead_reset(lead, "bad\xff"), LG_ERR_INVALID);
  after = lead_dump(lead);
  assert_string_equal(before, after);
  free(before);
  free(after);
  lg_lead_free(lead);
}

static lg_status op_reset(lg_lead *lead, const void *arg) { return lg_lead_reset(lead, arg); }

static void every_allocation_failure_of_reset_leaves_the_lead_unchanged(void **state) {
  lg_lead *lead = new_lead("short");
  (void)state;
  fill_lead(lead, 0);
  assert_int_equal(fail_every_allocation(lead, op_reset, "a-much-longer-id"), 1);
  assert_string_equal(lg_lead_id(lead), "a-much-longer-id");
  assert_int_equal(fail_every_allocation(lead, op_reset, repeat('z', 100)), 1);
  assert_int_equal(fail_every_allocation(lead, op_reset, "tiny"), 0);
  lg_lead_free(lead);
}

static void reserve_checks_the_limits(void **state) {
  lg_lead *lead = new_lead("r");
  (void)state;
  assert_int_equal(lg_lead_reserve(NULL, 1, 1, 1), LG_ERR_INVALID);
  assert_int_equal(lg_lead_reserve(lead, LG_MAX_ATTRIBUTES + 1, 0, 0), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_reserve(lead, 0, LG_MAX_EVENTS + 1, 0), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_reserve(lead, 0, 0, (size_t)2 << 20), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_reserve(lead, SIZE_MAX, SIZE_MAX, SIZE_MAX), LG_ERR_LIMIT);
  assert_int_equal(ts_alloc_live_blocks(), 1); /* nothing made */
  assert_int_equal(lg_lead_reserve(lead, 0, 0, 0), LG_OK);
  assert_int_equal(ts_alloc_live_blocks(), 1);
  assert_int_equal(lg_lead_set_int(lead, "a", 1), LG_OK);
  assert_int_equal(lg_lead_reserve(lead, LG_MAX_ATTRIBUTES, 0, 0), LG_ERR_LIMIT); /* one held */
  assert_int_equal(lg_lead_reserve(lead, LG_MAX_ATTRIBUTES - 1, LG_MAX_EVENTS, 1000000), LG_OK);
  assert_int_equal(lg_lead_add_event(lead, "x", 1), LG_OK);
  assert_int_equal(lg_lead_reserve(lead, 0, LG_MAX_EVENTS, 0), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_reserve(lead, 0, LG_MAX_EVENTS - 1, 0), LG_OK);
  lg_lead_free(lead);
}

/* Builds a lead of `attrs` attributes (text ones of `text` bytes) and
 * `events` events of distinct types named with `type_len` bytes. */
static void build_within(lg_lead *lead, int attrs, int events, size_t text, size_t type_len) {
  char name[LG_MAX_NAME_BYTES + 1];
  int  i;
  for (i = 0; i < attrs; i++) {
    snprintf(name, sizeof name, "a%d", i);
    if (i % 2) assert_int_equal(lg_lead_set_int(lead, name, i), LG_OK);
    else assert_int_equal(lg_lead_set_text(lead, name, repeat('t', text)), LG_OK);
  }
  for (i = 0; i < events; i++) {
    snprintf(name, sizeof name, "%.*s%04d", (int)type_len - 4, repeat('e', type_len), i);
    assert_int_equal(lg_lead_add_event(lead, name, 100 - i), LG_OK);
  }
}

static void storing_what_was_reserved_allocates_nothing(void **state) {
  static const int shapes[][2] = {{1, 1}, {11, 8}, {40, 100}, {256, 0}, {0, 300}};
  size_t           k;
  (void)state;
  for (k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
    int      attrs = shapes[k][0], events = shapes[k][1];
    size_t   text = 30, type_len = 12, bytes;
    lg_lead *lead = new_lead("reserved");
    long     calls;
    /* names "aN" (2 or 3 bytes), the texts, the type names */
    bytes = (size_t)attrs * 3 + (size_t)(attrs + 1) / 2 * text + (size_t)events * type_len;
    assert_int_equal(lg_lead_reserve(lead, (size_t)attrs, (size_t)events, bytes), LG_OK);
    calls = ts_alloc_calls();
    build_within(lead, attrs, events, text, type_len);
    assert_int_equal(ts_alloc_calls(), calls);
    assert_arena_consistent(lead);
    /* and again after a reset, and after a reserve that has the room */
    assert_int_equal(lg_lead_reset(lead, "again"), LG_OK);
    assert_int_equal(lg_lead_reserve(lead, (size_t)attrs, (size_t)events, bytes), LG_OK);
    build_within(lead, attrs, events, text, type_len);
    assert_int_equal(ts_alloc_calls(), calls);
    lg_lead_free(lead);
  }
}

typedef struct reserve_arg {
  size_t attrs, events, bytes;
} reserve_arg;

static lg_status op_reserve(lg_lead *lead, const void *arg) {
  const reserve_arg *r = arg;
  return lg_lead_reserve(lead, r->attrs, r->events, r->bytes);
}

static void every_allocation_failure_of_reserve_leaves_the_lead_unchanged(void **state) {
  lg_lead    *lead = new_lead("r");
  reserve_arg r = {11, 8, 200};
  (void)state;
  /* On an empty lead every table is made: arena, attributes, types, events. */
  assert_int_equal(fail_every_allocation(lead, op_reserve, &r), 4);
  lg_lead_free(lead);
  lead = new_lead("r");
  fill_lead(lead, 0);
  r.attrs = 100;
  r.events = 100;
  r.bytes = 5000;
  assert_true(fail_every_allocation(lead, op_reserve, &r) >= 1);
  lg_lead_free(lead);
}

/* ---- batches compared with single calls ---------------------------------- */

static uint64_t rng_state = 88172645463325252u;
static uint32_t rnd(uint32_t n) { /* uniform enough in [0, n) */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % n);
}

/* The batch on `batched`, the same events one call at a time on a clone of
 * `single`: the same status, and either both leads take every event or
 * `batched` is unchanged (then `single` is left as it was). */
static lg_status compare_batch(lg_lead **single, lg_lead *batched, const char *const *types,
                               const lg_time *at, size_t n) {
  lg_lead  *c = NULL;
  lg_status want = LG_OK, got;
  char     *before = lead_dump(batched), *after;
  size_t    i;
  assert_int_equal(lg_lead_clone(*single, &c), LG_OK);
  for (i = 0; i < n && want == LG_OK; i++) want = lg_lead_add_event(c, types[i], at[i]);
  got = lg_lead_add_events(batched, types, at, n);
  assert_int_equal(got, want);
  if (got == LG_OK) {
    lg_lead_free(*single);
    *single = c;
  } else {
    lg_lead_free(c);
    after = lead_dump(batched);
    assert_string_equal(before, after);
    free(after);
  }
  free(before);
  assert_same_lead(*single, batched);
  assert_arena_consistent(batched);
  return got;
}

static void a_batch_ends_as_the_same_single_calls_end(void **state) {
  static const char *const known[6] = {"demo_requested", "page_view",    "content_download",
                                       "webinar",        "email_opened", "unsubscribed"};
  static char              copies[512][16]; /* the same names at other addresses */
  const char              *types[512];
  lg_time                  at[512];
  lg_lead                 *single = new_lead("L-0"), *batched = new_lead("L-0");
  int                      round, errors = 0, rounds = ts_rounds(3000);
  (void)state;
  for (round = 0; round < rounds; round++) {
    size_t  n = rnd(6) == 0 ? rnd(512) : rnd(12), i;
    int     shape = (int)rnd(5);
    lg_time base = lg_lead_event_count(single) && rnd(2) ?
                     single->ev_at[single->n_events - 1] :
                     (lg_time)rnd(1000) * 100;
    if (rnd(40) == 0 || lg_lead_event_count(single) > 9000) { /* start a new lead */
      char id[16];
      snprintf(id, sizeof id, "L-%d", round);
      lg_lead_free(single);
      single = new_lead(id);
      assert_int_equal(lg_lead_reset(batched, id), LG_OK);
      assert_same_lead(single, batched);
    }
    for (i = 0; i < n; i++) {
      uint32_t t = rnd(20);
      if (t < 14) {
        types[i] = known[t % 6];
      } else if (t < 19) { /* another pointer to a known name, or a new name */
        if (t == 18) snprintf(copies[i], sizeof copies[i], "type_%u", rnd(30));
        else snprintf(copies[i], sizeof copies[i], "%s", known[rnd(6)]);
        types[i] = copies[i];
      } else {
        types[i] = known[0];
      }
      switch (shape) {
      case 0: at[i] = base + (lg_time)i * 10; break;            /* sorted, after the lead */
      case 1: at[i] = base + (lg_time)rnd(5); break;            /* many ties */
      case 2: at[i] = base - 50 + (lg_time)rnd(100); break;     /* unsorted, around the end */
      case 3: at[i] = (lg_time)rnd(1000) * 100; break;          /* anywhere */
      default: at[i] = base - (lg_time)i * 7 - 1; break;        /* descending, all earlier */
      }
    }
    if (n > 0 && rnd(30) == 0) { /* a bad event somewhere */
      i = rnd((uint32_t)n);
      switch (rnd(4)) {
      case 0: types[i] = "Bad"; break;
      case 1: types[i] = NULL; break;
      case 2: at[i] = LG_TIME_MAX + 1; break;
      default: at[i] = LG_TIME_MIN - 1; break;
      }
    }
    if (compare_batch(&single, batched, types, at, n) != LG_OK) errors++;
  }
  assert_true(errors > rounds / 300);
  lg_lead_free(single);
  lg_lead_free(batched);
}

/* A batch in order by itself still goes among the lead's events when its
 * first is earlier than the lead's last; one at the last time goes after
 * the events at that time (expected orders by hand). */
static void an_ordered_batch_is_sorted_in_against_the_lead_events(void **state) {
  static const char *const t1[2] = {"a", "b"}, *const t2[2] = {"c", "d"}, *const t3[3] = {"e", "f", "g"};
  static const lg_time     at1[2] = {100, 200}, at2[2] = {150, 300}, at3[3] = {300, 300, 301};
  static const lg_time     want_at[7] = {100, 150, 200, 300, 300, 300, 301};
  static const char *const want_type[7] = {"a", "c", "b", "d", "e", "f", "g"};
  lg_lead                 *lead = new_lead("l");
  size_t                   i;
  (void)state;
  assert_int_equal(lg_lead_add_events(lead, t1, at1, 2), LG_OK);
  assert_int_equal(lg_lead_add_events(lead, t2, at2, 2), LG_OK);
  assert_int_equal(lg_lead_add_events(lead, t3, at3, 3), LG_OK);
  assert_int_equal(lead->n_events, 7);
  for (i = 0; i < 7; i++) {
    const lg__evtype *t = &lead->types[lead->ev_type[i]];
    assert_true(lead->ev_at[i] == want_at[i]);
    assert_int_equal(lg__evtype_len(t), 1);
    assert_string_equal(lead->arena + lg__evtype_off(t), want_type[i]);
  }
  lg_lead_free(lead);
}

static void add_events_rejects_bad_arguments_and_reports_the_first_error(void **state) {
  const char *types[4] = {"a", "b", "c", "d"};
  lg_time     at[4] = {10, 20, 30, 40};
  lg_lead    *lead = new_lead("e");
  (void)state;
  assert_int_equal(lg_lead_add_events(NULL, types, at, 4), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_events(lead, NULL, at, 4), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_events(lead, types, NULL, 4), LG_ERR_INVALID);
  assert_int_equal(lg_lead_add_events(lead, NULL, NULL, 0), LG_OK);
  assert_int_equal(lg_lead_add_events(NULL, NULL, NULL, 0), LG_ERR_INVALID);
  types[2] = "C"; /* a malformed type before a bad time: INVALID */
  at[3] = LG_TIME_MAX + 1;
  assert_int_equal(lg_lead_add_events(lead, types, at, 4), LG_ERR_INVALID);
  types[2] = "c"; /* a bad time before a malformed type: RANGE */
  at[1] = LG_TIME_MIN - 1;
  types[3] = "";
  assert_int_equal(lg_lead_add_events(lead, types, at, 4), LG_ERR_RANGE);
  assert_int_equal(lg_lead_event_count(lead), 0);
  assert_int_equal(ts_alloc_live_blocks(), 1); /* nothing kept from the failed calls */
  assert_int_equal(lg_lead_add_events(lead, types, at, 1), LG_OK); /* the good prefix */
  assert_int_equal(lg_lead_event_count(lead), 1);
  lg_lead_free(lead);
}

static void a_batch_past_10000_events_is_a_limit_error_unless_an_earlier_one_fails(void **state) {
  static const char *types[LG_MAX_EVENTS + 1];
  static lg_time     at[LG_MAX_EVENTS + 1];
  lg_lead           *lead = new_lead("full");
  size_t             i;
  (void)state;
  for (i = 0; i <= LG_MAX_EVENTS; i++) {
    types[i] = "page_view";
    at[i] = (lg_time)i;
  }
  assert_int_equal(lg_lead_add_events(lead, types, at, LG_MAX_EVENTS + 1), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_event_count(lead), 0);
  assert_int_equal(lg_lead_add_events(lead, types, at, LG_MAX_EVENTS - 2), LG_OK);
  assert_int_equal(lg_lead_add_events(lead, types, at, 3), LG_ERR_LIMIT); /* 10,001 */
  types[2] = "Bad"; /* the call that would hit the limit fails first on its type */
  assert_int_equal(lg_lead_add_events(lead, types, at, 3), LG_ERR_INVALID);
  types[2] = "page_view";
  types[3] = "Bad"; /* after the limit: never looked at */
  assert_int_equal(lg_lead_add_events(lead, types, at, 4), LG_ERR_LIMIT);
  assert_int_equal(lg_lead_event_count(lead), LG_MAX_EVENTS - 2);
  assert_int_equal(lg_lead_add_events(lead, types, at, 2), LG_OK);
  assert_int_equal(lg_lead_event_count(lead), LG_MAX_EVENTS);
  assert_int_equal(lg_lead_add_events(lead, types, at, 1), LG_ERR_LIMIT);
  /* 10,000 events of 10,000 distinct types */
  {
    static char names[LG_MAX_EVENTS][8];
    assert_int_equal(lg_lead_reset(lead, "many-types"), LG_OK);
    for (i = 0; i < LG_MAX_EVENTS; i++) {
      snprintf(names[i], sizeof names[i], "t%zu", i);
      types[i] = names[i];
      at[i] = (lg_time)(LG_MAX_EVENTS - i);
    }
    assert_int_equal(lg_lead_add_events(lead, types, at, LG_MAX_EVENTS), LG_OK);
    assert_int_equal(lead->n_types, LG_MAX_EVENTS);
    for (i = 0; i < LG_MAX_EVENTS; i++) {
      const char *type;
      lg_time     t;
      assert_int_equal(lg_lead_event_at(lead, i, &type, &t), LG_OK);
      assert_int_equal(t, (lg_time)i + 1);
      assert_string_equal(type, names[LG_MAX_EVENTS - 1 - i]);
    }
  }
  lg_lead_free(lead);
}

typedef struct events_arg {
  const char *const *types;
  const lg_time     *at;
  size_t             n;
} events_arg;

static lg_status op_add_events(lg_lead *lead, const void *arg) {
  const events_arg *e = arg;
  return lg_lead_add_events(lead, e->types, e->at, e->n);
}

static void every_allocation_failure_of_add_events_leaves_the_lead_unchanged(void **state) {
  static char names[40][8];
  const char *types[40];
  lg_time     at[40];
  events_arg  e = {types, at, 0};
  lg_lead    *lead = new_lead("batch");
  size_t      i;
  (void)state;
  for (i = 0; i < 40; i++) {
    snprintf(names[i], sizeof names[i], "t%zu", i % 20);
    types[i] = names[i];
    at[i] = (lg_time)((i * 7919) % 40);
  }
  e.n = 3; /* an empty lead: events, arena, types */
  assert_int_equal(fail_every_allocation(lead, op_add_events, &e), 3);
  e.n = 40; /* 20 new types: more than the stack holds */
  assert_true(fail_every_allocation(lead, op_add_events, &e) >= 3);
  e.n = 40; /* known types: the events grow */
  assert_true(fail_every_allocation(lead, op_add_events, &e) >= 1);
  /* A type named by one of the lead's own strings, added as the arena
   * grows. */
  assert_int_equal(lg_lead_set_text(lead, "own_name", "x"), LG_OK);
  assert_int_equal(lg_lead_attr_at(lead, 0, &types[0], NULL), LG_OK);
  types[1] = repeat('q', 64);
  e.n = 2;
  assert_true(fail_every_allocation(lead, op_add_events, &e) >= 1);
  assert_int_equal(lg__lead_find_type(lead, "own_name", 8) >= 0, 1);
  lg_lead_free(lead);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
    T(creating_a_lead_copies_the_id_and_starts_empty_and_new),
    T(attributes_events_and_assignments_read_back_by_index),
    T(the_same_assignment_twice_is_a_no_op),
    T(create_rejects_null_empty_long_and_non_utf8_ids),
    T(getters_of_a_null_lead_return_their_defaults),
    T(each_attribute_type_round_trips),
    T(booleans_are_stored_as_zero_or_one),
    T(replacing_text_with_int_changes_type),
    T(replacing_int_and_bool_with_text_changes_type),
    T(getting_with_the_wrong_type_is_a_type_error),
    T(getting_or_unsetting_an_absent_attribute_is_not_found),
    T(attribute_functions_reject_null_arguments),
    T(names_of_1_to_64_lower_case_characters_are_valid),
    T(names_are_checked_at_every_length_and_position),
    T(malformed_names_are_invalid_everywhere),
    T(texts_of_every_short_length_are_stored_whole),
    T(text_of_1024_bytes_fits_and_1025_is_a_limit_error),
    T(empty_text_is_a_valid_value),
    T(non_utf8_text_is_invalid_and_changes_nothing),
    T(the_256th_attribute_fits_and_the_257th_is_a_limit_error),
    T(unset_removes_only_that_attribute),
    T(internal_attribute_lookup_finds_by_exact_name),
    T(shorter_text_is_rewritten_in_place),
    T(a_lead_may_be_given_its_own_strings_back),
    T(arena_compaction_keeps_values_right_after_many_replacements),
    T(events_in_time_order_are_appended_and_types_shared),
    T(events_at_equal_times_keep_insertion_order),
    T(events_out_of_order_end_sorted),
    T(add_event_rejects_bad_arguments_and_times),
    T(the_10000th_event_fits_and_the_10001st_is_a_limit_error),
    T(every_stage_transition_follows_the_documented_table),
    T(the_id_string_lives_as_long_as_the_lead),
    T(set_stage_rejects_bad_arguments),
    T(assigning_sets_the_owner_and_counts_reassignments),
    T(assign_rejects_bad_arguments),
    T(the_1000th_assignment_fits_and_the_1001st_is_a_limit_error),
    T(touch_keeps_the_earliest_touch_of_the_current_assignment),
    T(touch_rejects_bad_arguments_and_unassigned_leads),
    T(record_action_sets_its_bit_in_the_current_assignment),
    T(record_action_rejects_bad_actions_times_and_states),
    T(a_clone_is_deep_and_independent),
    T(a_clone_of_an_empty_lead_is_empty),
    T(clone_rejects_null_arguments),
    T(every_allocation_failure_of_a_setter_leaves_the_lead_unchanged),
    T(every_allocation_failure_of_add_event_leaves_the_lead_unchanged),
    T(every_allocation_failure_of_assign_leaves_the_lead_unchanged),
    T(every_allocation_failure_of_create_and_clone_leaks_nothing),
    T(clones_copy_snoozes),
    T(every_allocation_failure_of_snooze_leaves_the_lead_unchanged),
    T(a_typical_lead_holds_only_what_it_needs),
    T(reset_empties_the_lead_as_create_leaves_it),
    T(a_reset_lead_rebuilt_to_the_same_size_allocates_nothing),
    T(reset_to_a_longer_id_takes_one_block_and_keeps_it),
    T(reset_rejects_what_create_rejects_and_changes_nothing),
    T(every_allocation_failure_of_reset_leaves_the_lead_unchanged),
    T(reserve_checks_the_limits),
    T(storing_what_was_reserved_allocates_nothing),
    T(every_allocation_failure_of_reserve_leaves_the_lead_unchanged),
    T(a_batch_ends_as_the_same_single_calls_end),
    T(an_ordered_batch_is_sorted_in_against_the_lead_events),
    T(add_events_rejects_bad_arguments_and_reports_the_first_error),
    T(a_batch_past_10000_events_is_a_limit_error_unless_an_earlier_one_fails),
    T(every_allocation_failure_of_add_events_leaves_the_lead_unchanged),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
