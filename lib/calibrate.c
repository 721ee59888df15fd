/*
 * calibrate.c - lg_calibrate: the MQL threshold that sales capacity allows.
 *
 * Flooding reps with more leads than they can work makes follow-up collapse,
 * so the threshold is derived from capacity: score a sample of leads, leave
 * out the knocked-out ones (they never reach sales whatever they score), and
 * find the smallest threshold T at which no more than `capacity` of the rest
 * score >= T.  Leads tied at the cut all fall below it: a threshold cannot
 * admit some of several equal scores, and admitting them all would break
 * the capacity.
 */
#include "internal.h"

#include <stdlib.h>

static lg_points pick_dimension(const lg_score *sc, lg_dimension dimension) {
  switch (dimension) {
  case LG_DIM_FIT: return sc->fit;
  case LG_DIM_ENGAGEMENT: return sc->engagement;
  default: return sc->total;
  }
}

/* Descending order for qsort. */
static int by_score_desc(const void *pa, const void *pb) {
  lg_points a = *(const lg_points *)pa, b = *(const lg_points *)pb;
  return a > b ? -1 : a < b ? 1 : 0;
}

/* Given s[0..m) sorted descending and 0 <= capacity < m, the threshold just
 * above s[capacity] (any lower one would admit capacity + 1 leads) and the
 * number of leads above it: the first index holding a score <= s[capacity],
 * found by binary search since ties at the cut may reach back past
 * s[capacity - 1]. */
static lg_status cut(const lg_points *s, size_t capacity, lg_points *threshold, size_t *count) {
  lg_points floor_score = s[capacity];
  size_t    lo = 0, hi = capacity;
  if (floor_score == INT64_MAX) return LG_ERR_RANGE;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s[mid] > floor_score)
      lo = mid + 1;
    else
      hi = mid;
  }
  *threshold = floor_score + 1;
  *count = lo;
  return LG_OK;
}

lg_status lg_calibrate(const lg_rubric *rubric, const lg_lead *const *leads, size_t n, lg_time now,
                       lg_dimension dimension, size_t capacity, lg_points *threshold,
                       size_t *count) {
  lg_points *s;
  lg_score   sc;
  lg_status  rc;
  size_t     i, m = 0;
  if (!rubric || !threshold || !count || (n > 0 && !leads)) return LG_ERR_INVALID;
  if (dimension != LG_DIM_FIT && dimension != LG_DIM_ENGAGEMENT && dimension != LG_DIM_TOTAL)
    return LG_ERR_INVALID;
  if (!lg__time_valid(now)) return LG_ERR_RANGE;
  for (i = 0; i < n; i++)
    if (!leads[i]) return LG_ERR_INVALID;
  if (n == 0) {
    /* Nothing to admit: by convention T = 0 and nobody passes. */
    *threshold = 0;
    *count = 0;
    return LG_OK;
  }
  if (n > SIZE_MAX / sizeof *s) return LG_ERR_NOMEM;
  s = lg__malloc(n * sizeof *s);
  if (!s) return LG_ERR_NOMEM;
  for (i = 0; i < n; i++) {
    rc = lg_score_lead(rubric, leads[i], now, &sc);
    if (rc != LG_OK) {
      lg__free(s);
      return rc;
    }
    if (!sc.knocked_out) s[m++] = pick_dimension(&sc, dimension);
  }
  rc = LG_OK;
  if (m == 0) {
    *threshold = 0;
    *count = 0;
  } else {
    qsort(s, m, sizeof *s, by_score_desc);
    if (capacity >= m) {
      /* Everyone fits: the lowest score is the threshold that admits all. */
      *threshold = s[m - 1];
      *count = m;
    } else {
      rc = cut(s, capacity, threshold, count);
    }
  }
  lg__free(s);
  return rc;
}
