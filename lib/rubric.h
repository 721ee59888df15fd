/*
 * rubric.h - the parsed rubric, shared by rubric.c (which builds, prints
 * and frees it) and score.c (which evaluates it).  Private to those two.
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
} lg__when;

typedef struct lg__crit {
  int32_t  kind;     /* LG_KIND_FIT, LG_KIND_ENGAGEMENT, LG_KIND_KNOCKOUT */
  uint32_t hash;     /* lg__name_hash(attr): attribute or event type */
  char    *attr;     /* owned, NUL-terminated */
  size_t   attr_len;
  char    *name;     /* the criterion's name, owned, NUL-terminated */
  size_t   name_len;

  /* fit */
  lg__when *whens;     /* first match wins */
  uint32_t  n_whens;
  int32_t   group_first; /* 1: first fit criterion reading this attribute */
  int64_t   otherwise;   /* present but unmatched */
  int64_t   missing;     /* absent */
  int64_t   best;        /* highest of whens, otherwise, missing */
  int64_t   group_gain;  /* group_first only: sum over the fit criteria of
                            this attribute of (best - missing) */

  /* engagement */
  int64_t points; /* per event, milli-points */
  int64_t cap;    /* max on |sum|, milli-points; -1 for none */
  int32_t each;   /* 0: once (most recent event), 1: each event */
  int32_t decay;  /* LG__DECAY_* */
  int64_t  span;     /* half-life / expiry / linear span, seconds */
  uint64_t span_inv; /* lg__decay_inverse(span) */

  /* knockout */
  lg__match_list ko;
} lg__crit;

struct lg_rubric {
  char     *name; /* "" when the text has no `rubric` line */
  size_t    name_len;
  lg__crit *crits; /* in text order */
  uint32_t  n_crits;
  uint32_t  n_knockouts;
  uint32_t *knockouts;   /* crit index of knockout number i */
  lg_points max_fit;     /* sum of best over fit criteria */
  uint64_t  fingerprint; /* FNV-1a 64 of the canonical text */
};

#endif /* LG_RUBRIC_H */
