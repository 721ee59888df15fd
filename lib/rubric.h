/*
 * rubric.h - the parsed rubric, shared by rubric.c (which builds, prints
 * and frees it) and score.c (which evaluates it).  Private to those two,
 * and to lint.c, which reads it to check a definition.
 *
 * Everything score.c needs per criterion is precomputed at parse time
 * (name hashes and lengths, best outcomes, decay kind) so that scoring is a
 * tight loop with no strlen and no allocation.  A rubric never changes
 * after parsing, so any number of threads may read it.
 */
#ifndef LG_RUBRIC_H
#define LG_RUBRIC_H

#include "internal.h"

#define LG__MAX_CRITERIA 1024
#define LG__MAX_WHENS    256

typedef struct lg__when {
  lg__match_list list;
  int64_t        points; /* milli-points */
  uint32_t       line;   /* source line, for lg_lint (lint.c) */
} lg__when;

typedef struct lg__crit lg__crit;

/* ---- the scoring plan (built by lg__rubric_plan, score.c) ----------------
 * The scorer walks the lead, not the rubric: each of the lead's attributes
 * and event types is looked up once in a small hash table of the names the
 * rubric reads (a key), and only the criteria reading it are evaluated.
 * A criterion's match items are flattened into one array of tests with
 * text already ASCII-lower-cased, so a test is a few compares. */

/* One match item of a fit `when` (with that line's points) or of a
 * knockout, in a form tested without a branch (score.c, passes): a value
 * passes when its type and text length (tag) and its words (text_words:
 * the lower-cased bytes of a text of up to 16 bytes) equal the test's,
 * and its number v lies in [lo, lo + span] (unsigned arithmetic), the
 * last inverted when `outside`.  A value's fields that its type does not
 * use are 0, and so are the test's, so they compare equal.  Texts longer
 * than 16 bytes are compared with `fold`, 8 bytes at a time.  See
 * lg__match for the item's meaning. */
typedef struct lg__test {
  uint64_t    tag; /* vtype << 32 | text_len (score.c, tag_of) */
  uint64_t    lo, span;
  uint64_t    w0, w1;
  int64_t     points; /* fit: its `when` line's points less `missing` */
  const char *fold;   /* text: lower-cased copy, in the plan's block */
  uint32_t    text_len;
  uint8_t     outside;
  uint8_t     long_text; /* text_len > 16 */
} lg__test;

/* An entry of an attribute key's value table: a value's type and text
 * length (tag) and words as the tests see them (see lg__test), with what
 * all the key's criteria make of such a value.  Empty slots have tag 0,
 * which no value has (its type is never LG__VAL_NONE). */
typedef struct lg__vent {
  uint64_t tag, w0, w1;
  int64_t  fit; /* sum over the key's fit criteria of their points less `missing` */
  uint32_t ko;  /* lowest knockout index among the key's that match, or UINT32_MAX */
} lg__vent;

/* A distinct attribute (of fit and knockout criteria) or event type (of
 * engagement criteria), and the criteria reading it:
 * plan.steps[first .. first + count), in text order.
 *
 * An attribute key whose criteria all have only tests of short texts
 * (LG__TESTS_TEXT) has a value table (vt, vt_mask + 1 slots): a test
 * passes exactly when the value's (tag, w0, w1) is the test's, so the
 * tests a value passes are those of the entry with its triple, and a
 * value with no entry passes none (vt_fit, no knockout).  One probe then
 * stands for every test of the key. */
typedef struct lg__key {
  const char *name;   /* a criterion's attr */
  uint64_t    w0, w1; /* raw_words of the name (plan.h) */
  uint32_t    len;
  uint32_t    first, count;
  uint32_t    n_fit;   /* fit criteria among them */
  uint32_t    vt_mask; /* vt: slots - 1 */
  lg__vent   *vt;      /* NULL: no value table */
  int64_t     vt_fit;  /* vt: the fit criteria's `otherwise - missing`, summed */
  /* An attribute key whose criteria's tests are all numbers (and not
   * too many) has a number table for int values: nt_bp[0 .. nt_n) are
   * the ascending points where a test's outcome can change, and nt[k]
   * is what the criteria make of every int v with exactly k of them
   * <= v (as a value-table entry: fit and ko).  nt_n is 0 for none. */
  const int64_t  *nt_bp;
  const lg__vent *nt;
  uint32_t        nt_n;
  /* An event type key whose one criterion is `fast` (lg__step): that
   * criterion, which the scorer's event pass sums in a slot; else NULL. */
  const lg__crit *pass;
} lg__key;

typedef struct lg__keyset {
  lg__key  *keys;
  uint16_t *table;   /* key index + 1, 0 empty; at most 1/8 full */
  uint32_t  n, mask; /* mask + 1 table entries, a power of two */
  uint32_t  shift;   /* 64 - log2(mask + 1): a hash's top bits index */
} lg__keyset;

enum { LG__TESTS_MIXED = 0, LG__TESTS_TEXT, LG__TESTS_NUMBER };

/* One criterion as the scorer runs it, copied from the lg__crit so that
 * the walk reads 32 bytes per criterion instead of a whole lg__crit. */
typedef struct lg__step {
  const lg__crit *crit;
  int64_t         otherwise; /* fit: otherwise - missing */
  uint32_t        test0, n_tests;
  uint32_t        ko_index; /* knockout: its number among the knockouts */
  uint8_t         kind;     /* LG_KIND_* */
  uint8_t         tests;    /* LG__TESTS_*: all tests short texts, or none a text */
  uint8_t         fast;     /* engagement: `each` under lg__decay_fast_rule */
} lg__step;

typedef struct lg__plan {
  void      *block; /* the one allocation holding everything below */
  lg__test  *tests;
  lg__step  *steps; /* grouped by key */
  lg__keyset attrs, types;
  int64_t    fit_missing;  /* sum of `missing` over the fit criteria */
  int32_t    falls, rises; /* lg__rubric_decay_signs, worked out once */
  uint32_t   n_fits;
} lg__plan;

struct lg__crit {
  int32_t  kind; /* LG_KIND_FIT, LG_KIND_ENGAGEMENT, LG_KIND_KNOCKOUT */
  uint32_t hash; /* lg__name_hash(attr): attribute or event type */
  char    *attr; /* owned, NUL-terminated */
  size_t   attr_len;
  char    *name; /* the criterion's name, owned, NUL-terminated */
  size_t   name_len;

  /* fit */
  lg__when *whens; /* first match wins */
  uint32_t  n_whens;
  int32_t   group_first; /* 1: first fit criterion reading this attribute */
  int64_t   otherwise;   /* present but unmatched */
  int64_t   missing;     /* absent */
  int64_t   best;        /* highest of whens, otherwise, missing */
  int64_t   group_gain;  /* group_first only: sum over the fit criteria of
                            this attribute of (best - missing) */

  /* engagement */
  lg__decay_rule rule; /* points per event and their decay */
  int64_t        cap;  /* max on |sum|, milli-points; -1 for none */
  int32_t        each; /* 0: once (most recent event), 1: each event */

  /* knockout */
  lg__match_list ko;

  /* fit and knockout: plan.tests[test0 .. test0 + n_tests) */
  uint32_t test0, n_tests;
  uint32_t key;  /* its key in plan.attrs (fit, knockout) or plan.types */
  uint32_t line; /* source line of its statement, for lg_lint (lint.c) */
};

struct lg_rubric {
  char     *name; /* "" when the text has no `rubric` line */
  size_t    name_len;
  lg__crit *crits; /* in text order */
  uint32_t  n_crits;
  uint32_t  n_knockouts;
  uint32_t *knockouts; /* crit index of knockout number i */
  lg_points max_fit;   /* sum of best over fit criteria */
  lg__plan  plan;
  uint64_t  fingerprint; /* FNV-1a 64 of the canonical text */
};

/* Builds r->plan from the parsed criteria (score.c); LG_ERR_NOMEM leaves
 * r->plan empty.  lg__rubric_plan_free releases it. */
lg_status lg__rubric_plan(lg_rubric *r);
void      lg__rubric_plan_free(lg_rubric *r);

#endif /* LG_RUBRIC_H */
