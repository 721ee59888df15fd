/*
 * checked.c - int64 arithmetic that reports overflow instead of wrapping,
 * and the range check every time argument goes through.
 */
#include "internal.h"

/* ---- checked arithmetic ------------------------------------------------ */

int lg__add_overflow(int64_t a, int64_t b, int64_t *out) {
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return 1;
  *out = a + b;
  return 0;
}

int lg__mul_overflow(int64_t a, int64_t b, int64_t *out) {
  if (a == 0 || b == 0) {
    *out = 0;
    return 0;
  }
  if (a > 0) {
    if (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a) return 1;
  } else {
    if (b > 0 ? a < INT64_MIN / b : (a != 0 && b < INT64_MAX / a)) return 1;
  }
  *out = a * b;
  return 0;
}

int lg__time_valid(lg_time t) { return t >= LG_TIME_MIN && t <= LG_TIME_MAX; }
