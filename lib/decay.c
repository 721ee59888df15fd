/*
 * decay.c - how engagement points fade with age: lg__decay.
 *
 * The library promises bit-identical scores on every platform and in every
 * binding, so there is no floating point here: only 64-bit integer
 * arithmetic, with a 64x64->128-bit multiply built from 32-bit halves (C99
 * has no portable 128-bit type).
 *
 * Kinds (param = the span in seconds, age >= 0, points in milli-points):
 *   none       p
 *   expire D   p while age < D, then 0
 *   linear D   p * (D - age) / D while age < D, then 0 (exact, then rounded)
 *   half-life  p * 2^(-age/H)
 * Results are rounded to nearest, ties away from zero, computed on the
 * magnitude, so negative points decay as the exact mirror of positive ones.
 *
 * Half-life method.  x = age/H is split exactly, with integer division,
 * into n = floor(x) and a 56-bit fraction f = floor(2^56 (age mod H) / H).
 * 2^(-x) = 2^(-n) * 2^(-k1/64) * 2^(-k2/4096) * 2^(-k3/262144) * 2^(-r),
 * where k1, k2, k3 are f's top three 6-bit groups, looked up in three
 * 64-entry tables of Q62 constants (rounded to nearest from 300-bit
 * values), and r < 2^-18 is the rest: 2^(-r) = e^(-y) with y = r ln 2 <
 * 2.7e-6, taken as 1 - y + y^2/2.  The product g is a Q62 number in
 * (1/2, 1]; the result is |p| * g shifted right by 62 + n, rounded.
 *
 * Error bound, relative to g: truncating f to 56 bits < ln2 * 2^-56
 * (1e-17); three table roundings 3 * 2^-63; the dropped y^3/6 < 4e-18; y^2
 * from y's top 22 bits < 8e-18; four truncating Q62 multiplies 4 * 2^-62;
 * in all < 3e-17.  So for |p| <= 10^12 milli-points (rubrics allow 10^9)
 * the value before the final rounding is within 3e-5 of exact and the
 * result within 0.5 + 3e-5 milli-points: always within 1 (tests/test_decay.c
 * measures it against libm).  Linear and expire are exact up to the final
 * rounding (<= 0.5).
 *
 * Overflow: any age and span up to INT64_MAX and any int64_t points are
 * safe.  Spans below 2^36 s (~2177 years, every span the parser accepts)
 * take a fast path of a few hardware divisions; longer spans take a
 * slower, equally exact one.
 */
#include "internal.h"

/* The per-event kernels below are inlined into the scorer's loops (as
 * calls their prologues cost as much as their bodies); coverage builds
 * define LG_NO_FORCED_INLINE to measure each once. */
#if defined(__GNUC__) && !defined(LG_NO_FORCED_INLINE)
#  define LG__INLINE __attribute__((always_inline)) inline
#else
#  define LG__INLINE inline
#endif

/* ---- 128-bit helpers ---------------------------------------------------- */

/* (*hi:*lo) = a * b: one instruction where the compiler has a 128-bit
 * type, else four 32x32->64 products.  Both give the same exact product,
 * so results are identical on every platform (tests/extra.cmake builds
 * test_decay a second time with -DLG_NO_INT128 to prove it). */
#if defined(__SIZEOF_INT128__) && !defined(LG_NO_INT128)
__extension__ typedef unsigned __int128 lg__u128;
static LG__INLINE void mul_64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  lg__u128 r = (lg__u128)a * b;
  *hi = (uint64_t)(r >> 64);
  *lo = (uint64_t)r;
}
#else
static void mul_64x64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo) {
  uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
  uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  /* the middle column is a sum of three values below 2^32: no overflow */
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  *lo = (mid << 32) | (p00 & 0xffffffffu);
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
#endif

/* a * b / 2^62, truncated, for Q62 operands a, b <= 2^62 (result <= 2^62).
 * With a 128-bit type the shift is one double-word shift instruction. */
static LG__INLINE uint64_t mul_q62(uint64_t a, uint64_t b) {
#if defined(__SIZEOF_INT128__) && !defined(LG_NO_INT128)
  return (uint64_t)(((lg__u128)a * b) >> 62);
#else
  uint64_t hi, lo;
  mul_64x64(a, b, &hi, &lo);
  return (hi << 2) | (lo >> 62);
#endif
}

/* Long division: floor((rem * 2^nbits + src) / d) for rem < d, src <
 * 2^nbits, 1 <= nbits <= 64, when the quotient fits in 64 bits; the
 * remainder goes to *rem_out.  Each step shifts in as many bits as keep
 * rem << step below 2^64 (rem < d < 2^bits(d)). */
static uint64_t long_div(uint64_t rem, uint64_t src, unsigned nbits, uint64_t d,
                         uint64_t *rem_out) {
  unsigned step = 64, c;
  uint64_t q = 0, t = d;
  while (t) {
    step--;
    t >>= 1;
  }
  while (nbits > 0) {
    c = nbits < step ? nbits : step;
    nbits -= c;
    rem = (rem << c) | ((src >> nbits) & ((((uint64_t)1) << c) - 1u));
    q = (q << c) | (rem / d);
    rem %= d;
  }
  *rem_out = rem;
  return q;
}

/* ---- division by the span ------------------------------------------------
 * A criterion divides every event's age by the same span, and a hardware
 * division costs as much as the rest of the decay together.  So the parser
 * computes inv = floor((2^64 - 1) / d) once (lg__decay_inverse), and
 * x / d becomes q = floor(x * inv / 2^64) plus a correction.  With
 * inv > (2^64 - 1) / d - 1 and x < 2^64, x * inv / 2^64 > x / d - 2, so q
 * is at most 2 below the quotient; the loop makes it exact, so results do
 * not depend on inv at all.  (A branch-free correction measured slower:
 * it lengthens the chain of dependent multiplies.) */

uint64_t lg__decay_inverse(int64_t span) { return span > 0 ? UINT64_MAX / (uint64_t)span : 0; }

/* floor(x / d) and x mod d, exactly, from inv = floor((2^64 - 1) / d). */
static uint64_t div_inv(uint64_t x, uint64_t d, uint64_t inv, uint64_t *rem) {
  uint64_t q, r, lo;
  mul_64x64(x, inv, &q, &lo);
  r = x - q * d;
  while (r >= d) {
    r -= d;
    q++;
  }
  *rem = r;
  return q;
}

/* floor(2^56 * r / d) for r < d: the fraction bits of age/H. */
static uint64_t frac56(uint64_t r, uint64_t d, uint64_t inv) {
  if (d < ((uint64_t)1 << 36)) {
    /* two steps of 28 bits: r, and then the remainder, are < 2^36 */
    uint64_t q1 = div_inv(r << 28, d, inv, &r);
    return (q1 << 28) | div_inv(r << 28, d, inv, &r);
  }
  return long_div(r, 0, 56, d, &r);
}

static uint64_t magnitude(int64_t p) { return p < 0 ? (uint64_t)0 - (uint64_t)p : (uint64_t)p; }

/* Signed result from a magnitude and the sign of the points. */
static int64_t with_sign(uint64_t mag, int negative) {
  if (negative) return mag >= ((uint64_t)1 << 63) ? INT64_MIN : -(int64_t)mag;
  return mag > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)mag;
}

/* ---- half-life ----------------------------------------------------------- */

/* The three tables in one array, so that the kernel addresses them from
 * one base: pow2[k] = 2^(-k/64), pow2[64 + k] = 2^(-k/4096), pow2[128 + k]
 * = 2^(-k/262144), k = 0..63, in Q62, rounded to nearest. */
static const uint64_t pow2[3 * 64] = {
  /* 2^(-k/64) */
  UINT64_C(0x4000000000000000), UINT64_C(0x3f4f83033d21b05d), UINT64_C(0x3ea0ecb6dc8a80cf),
  UINT64_C(0x3df437dcc2b44eee), UINT64_C(0x3d495f454921b30b), UINT64_C(0x3ca05dcf167fec4e),
  UINT64_C(0x3bf92e66f736bd73), UINT64_C(0x3b53cc07b6650ae1), UINT64_C(0x3ab031b9f7490e4c),
  UINT64_C(0x3a0e5a940f12f71a), UINT64_C(0x396e41b9df20d22a), UINT64_C(0x38cfe25cafa29694),
  UINT64_C(0x383337bb0aa53844), UINT64_C(0x37983d209783a449), UINT64_C(0x36feede5f6bc8dd5),
  UINT64_C(0x366745709e2bf5ed), UINT64_C(0x35d13f32b5a75abd), UINT64_C(0x353cd6aaf3fb7e88),
  UINT64_C(0x34aa07647c4ab917), UINT64_C(0x3418ccf6bbcac965), UINT64_C(0x3389230547e12039),
  UINT64_C(0x32fb053fbc9c9f17), UINT64_C(0x326e6f619b8bc9e9), UINT64_C(0x31e35d322aee6c57),
  UINT64_C(0x3159ca845541b6b7), UINT64_C(0x30d1b3368925d902), UINT64_C(0x304b1332999c2516),
  UINT64_C(0x2fc5e66d9e9cc421), UINT64_C(0x2f4228e7d6030db0), UINT64_C(0x2ebfd6ac84cf917f),
  UINT64_C(0x2e3eebd1d8bee7ba), UINT64_C(0x2dbf6478ca345de4), UINT64_C(0x2d413cccfe779921),
  UINT64_C(0x2cc47104aa444922), UINT64_C(0x2c48fd6074ab0964), UINT64_C(0x2bcede2b5a4290dd),
  UINT64_C(0x2b560fba90a852b2), UINT64_C(0x2ade8e6d6a4fb4ce), UINT64_C(0x2a6856ad3a9f03be),
  UINT64_C(0x29f364ed3a594d5a), UINT64_C(0x297fb5aa6c544e3b), UINT64_C(0x290d456b8279a028),
  UINT64_C(0x289c10c0c3125a06), UINT64_C(0x282c1443ee5c53f1), UINT64_C(0x27bd4c982468446b),
  UINT64_C(0x274fb669cb3fedd4), UINT64_C(0x26e34e6e7553954e), UINT64_C(0x26781164c82dfe99),
  UINT64_C(0x260dfc14636e2a5c), UINT64_C(0x25a50b4dc8061680), UINT64_C(0x253d3bea3fbdc258),
  UINT64_C(0x24d68acbc4f9ba4b), UINT64_C(0x2470f4dceac470ce), UINT64_C(0x240c7710c519ac77),
  UINT64_C(0x23a90e62d17354f0), UINT64_C(0x2346b7d6df96ea79), UINT64_C(0x22e57078faa2f5ba),
  UINT64_C(0x2285355d525bbf67), UINT64_C(0x222603a024b6a14a), UINT64_C(0x21c7d865a7a34404),
  UINT64_C(0x216ab0d9f3121ec5), UINT64_C(0x210e8a30eb379012), UINT64_C(0x20b361a62b0ae876),
  UINT64_C(0x2059347cef00c1dd),
  /* 2^(-k/4096) */
  UINT64_C(0x4000000000000000), UINT64_C(0x3ffd3a46ffc6e30f), UINT64_C(0x3ffa74acbdf6c9d5),
  UINT64_C(0x3ff7af31393ac610), UINT64_C(0x3ff4e9d4703df843), UINT64_C(0x3ff2249661ab8fb4),
  UINT64_C(0x3fef5f770c2eca6e), UINT64_C(0x3fec9a766e72f53f), UINT64_C(0x3fe9d59487236bb4),
  UINT64_C(0x3fe710d154eb9821), UINT64_C(0x3fe44c2cd676f395), UINT64_C(0x3fe187a70a7105e3),
  UINT64_C(0x3fdec33fef85659d), UINT64_C(0x3fdbfef7845fb814), UINT64_C(0x3fd93acdc7abb155),
  UINT64_C(0x3fd676c2b815142f), UINT64_C(0x3fd3b2d65447b229), UINT64_C(0x3fd0ef089aef6b8c),
  UINT64_C(0x3fce2b598ab82f57), UINT64_C(0x3fcb67c9224dfb49), UINT64_C(0x3fc8a457605cdbd9),
  UINT64_C(0x3fc5e1044390ec38), UINT64_C(0x3fc31dcfca965650), UINT64_C(0x3fc05ab9f41952c5),
  UINT64_C(0x3fbd97c2bec628f3), UINT64_C(0x3fbad4ea29492eea), UINT64_C(0x3fb81230324ec975),
  UINT64_C(0x3fb54f94d8836c13), UINT64_C(0x3fb28d181a9398f7), UINT64_C(0x3fafcab9f72be10c),
  UINT64_C(0x3fad087a6cf8e3ee), UINT64_C(0x3faa46597aa74fef), UINT64_C(0x3fa784571ee3e213),
  UINT64_C(0x3fa4c273585b660f), UINT64_C(0x3fa200ae25bab64a), UINT64_C(0x3f9f3f0785aebbde),
  UINT64_C(0x3f9c7d7f76e46e93), UINT64_C(0x3f99bc15f808d4e1), UINT64_C(0x3f96facb07c903f0),
  UINT64_C(0x3f94399ea4d21f97), UINT64_C(0x3f917890cdd15a57), UINT64_C(0x3f8eb7a18173f563),
  UINT64_C(0x3f8bf6d0be674097), UINT64_C(0x3f89361e83589a7d), UINT64_C(0x3f86758acef57049),
  UINT64_C(0x3f83b5159feb3dd9), UINT64_C(0x3f80f4bef4e78db7), UINT64_C(0x3f7e3486cc97f915),
  UINT64_C(0x3f7b746d25aa27cd), UINT64_C(0x3f78b471fecbd063), UINT64_C(0x3f75f49556aab800),
  UINT64_C(0x3f7334d72bf4b277), UINT64_C(0x3f7075377d57a23d), UINT64_C(0x3f6db5b649817870),
  UINT64_C(0x3f6af6538f2034d0), UINT64_C(0x3f68370f4ce1e5c5), UINT64_C(0x3f6577e98174a858),
  UINT64_C(0x3f62b8e22b86a833), UINT64_C(0x3f5ff9f949c61fa8), UINT64_C(0x3f5d3b2edae157a5),
  UINT64_C(0x3f5a7c82dd86a7bc), UINT64_C(0x3f57bdf55064761f), UINT64_C(0x3f54ff86322937a0),
  UINT64_C(0x3f52413581836fb0),
  /* 2^(-k/262144) */
  UINT64_C(0x4000000000000000), UINT64_C(0x3ffff4e8df7680c5), UINT64_C(0x3fffe9d1c0d8fd14),
  UINT64_C(0x3fffdebaa4277499), UINT64_C(0x3fffd3a38961e6ff), UINT64_C(0x3fffc88c708853ef),
  UINT64_C(0x3fffbd75599abb15), UINT64_C(0x3fffb25e44991c1b), UINT64_C(0x3fffa747318376ac),
  UINT64_C(0x3fff9c302059ca74), UINT64_C(0x3fff9119111c171c), UINT64_C(0x3fff860203ca5c4f),
  UINT64_C(0x3fff7aeaf86499b9), UINT64_C(0x3fff6fd3eeeacf04), UINT64_C(0x3fff64bce75cfbda),
  UINT64_C(0x3fff59a5e1bb1fe7), UINT64_C(0x3fff4e8ede053ad5), UINT64_C(0x3fff4377dc3b4c4f),
  UINT64_C(0x3fff3860dc5d53ff), UINT64_C(0x3fff2d49de6b5191), UINT64_C(0x3fff2232e26544b0),
  UINT64_C(0x3fff171be84b2d05), UINT64_C(0x3fff0c04f01d0a3c), UINT64_C(0x3fff00edf9dadbff),
  UINT64_C(0x3ffef5d70584a1f9), UINT64_C(0x3ffeeac0131a5bd6), UINT64_C(0x3ffedfa9229c093f),
  UINT64_C(0x3ffed4923409a9df), UINT64_C(0x3ffec97b47633d62), UINT64_C(0x3ffebe645ca8c371),
  UINT64_C(0x3ffeb34d73da3bb8), UINT64_C(0x3ffea8368cf7a5e2), UINT64_C(0x3ffe9d1fa8010199),
  UINT64_C(0x3ffe9208c4f64e88), UINT64_C(0x3ffe86f1e3d78c59), UINT64_C(0x3ffe7bdb04a4bab8),
  UINT64_C(0x3ffe70c4275dd950), UINT64_C(0x3ffe65ad4c02e7ca), UINT64_C(0x3ffe5a967293e5d2),
  UINT64_C(0x3ffe4f7f9b10d312), UINT64_C(0x3ffe4468c579af36), UINT64_C(0x3ffe3951f1ce79e7),
  UINT64_C(0x3ffe2e3b200f32d1), UINT64_C(0x3ffe2324503bd99f), UINT64_C(0x3ffe180d82546dfb),
  UINT64_C(0x3ffe0cf6b658ef90), UINT64_C(0x3ffe01dfec495e09), UINT64_C(0x3ffdf6c92425b910),
  UINT64_C(0x3ffdebb25dee0051), UINT64_C(0x3ffde09b99a23375), UINT64_C(0x3ffdd584d7425229),
  UINT64_C(0x3ffdca6e16ce5c16), UINT64_C(0x3ffdbf57584650e7), UINT64_C(0x3ffdb4409baa3047),
  UINT64_C(0x3ffda929e0f9f9e1), UINT64_C(0x3ffd9e132835ad60), UINT64_C(0x3ffd92fc715d4a6d),
  UINT64_C(0x3ffd87e5bc70d0b5), UINT64_C(0x3ffd7ccf09703fe2), UINT64_C(0x3ffd71b8585b979f),
  UINT64_C(0x3ffd66a1a932d795), UINT64_C(0x3ffd5b8afbf5ff71), UINT64_C(0x3ffd507450a50edd),
  UINT64_C(0x3ffd455da7400584)
};

#define Q62_LN2 UINT64_C(0x2c5c85fdf473de6b) /* ln 2 */

#define Q62_ONE ((uint64_t)1 << 62)

/* 2^(-f / 2^56) in Q62, for a 56-bit fraction f. */
static LG__INLINE uint64_t pow2_neg_frac(uint64_t f) {
  uint64_t rest = f & ((((uint64_t)1) << 38) - 1u); /* r < 2^-18 */
  uint64_t y = mul_q62(rest << 6, Q62_LN2);         /* r ln 2 < 2^44 in Q62 */
  uint64_t y22 = y >> 22;                           /* top 22 bits of y */
  /* e^(-y) = 1 - y + y^2/2; y^2/2 in Q62 is y*y / 2^63 = y22^2 / 2^19 */
  uint64_t e = Q62_ONE - y + ((y22 * y22) >> 19);
  uint64_t t = mul_q62(pow2[f >> 50], pow2[64u + ((f >> 44) & 63u)]);
  return mul_q62(mul_q62(t, pow2[128u + ((f >> 38) & 63u)]), e);
}

/* (hi:lo) / 2^sh rounded half up, for 62 <= sh <= 126 and hi:lo < 2^126
 * (so adding the half cannot carry out of 128 bits). */
static uint64_t shift_round(uint64_t hi, uint64_t lo, unsigned sh) {
  if (sh <= 64) {
    uint64_t nlo = lo + ((uint64_t)1 << (sh - 1u));
    hi += nlo < lo;
    return sh == 64 ? hi : (nlo >> sh) | (hi << (64u - sh));
  }
  /* the half is a bit of hi; lo holds only bits below it */
  hi += (uint64_t)1 << (sh - 65u);
  return hi >> (sh - 64u);
}

static int64_t half_life(int64_t h, uint64_t inv, int64_t p, int64_t age) {
  uint64_t d = (uint64_t)h, r, n = div_inv((uint64_t)age, d, inv, &r), hi, lo;
  if (n > 64) return 0; /* |p| * 2^-n <= 2^63 * 2^-65: rounds to 0 */
  mul_64x64(magnitude(p), pow2_neg_frac(frac56(r, d, inv)), &hi, &lo);
  return with_sign(shift_round(hi, lo, 62u + (unsigned)n), p < 0);
}

/* ---- linear -------------------------------------------------------------- */

/* p * (D - age) / D for 0 < age < D, exact, then rounded: the product may
 * need 127 bits, so it is divided by long division. */
static int64_t linear(int64_t span, int64_t p, int64_t age) {
  uint64_t d = (uint64_t)span, hi, lo, q, rem;
  mul_64x64(magnitude(p), d - (uint64_t)age, &hi, &lo);
  /* the quotient is below |p| <= 2^63, so hi < d and it fits 64 bits */
  q = long_div(hi, lo, 64, d, &rem);
  if (rem >= d - rem) q++; /* 2 rem >= d: half up on the magnitude */
  return with_sign(q, p < 0);
}

/* ---- the scorer's entry points ------------------------------------------ */

/* M = ceil(2^128 / d) for 2 <= d < 2^36, as two words (below 2^127). */
static void reciprocal128(uint64_t d, uint64_t *hi, uint64_t *lo) {
  uint64_t rem;
  *hi = long_div(1, 0, 64, d, &rem); /* floor(2^64 / d) */
  *lo = long_div(rem, 0, 64, d, &rem);
  if (rem != 0 && ++*lo == 0) ++*hi;
}

void lg__decay_rule_init(lg__decay_rule *rule, int kind, int64_t span, int64_t points) {
  rule->points = points;
  rule->span = span;
  rule->inv = lg__decay_inverse(span);
  rule->m_hi = rule->m_lo = 0;
  if (kind == LG__DECAY_HALF_LIFE && span >= 2 && span < (int64_t)1 << 36)
    reciprocal128((uint64_t)span, &rule->m_hi, &rule->m_lo);
  rule->kind = kind;
}

int64_t lg__decay(int kind, int64_t param, int64_t points, int64_t age) {
  lg__decay_rule rule;
  lg__decay_rule_init(&rule, kind, param, points);
  return lg__decay_one(&rule, age);
}

int64_t lg__decay_one(const lg__decay_rule *rule, int64_t age) {
  int64_t p = rule->points, span = rule->span;
  if (age <= 0 || p == 0) return p;
  switch (rule->kind) {
  case LG__DECAY_HALF_LIFE: return span > 0 ? half_life(span, rule->inv, p, age) : 0;
  case LG__DECAY_EXPIRE: return age < span ? p : 0;
  case LG__DECAY_LINEAR: return age < span ? linear(span, p, age) : 0;
  default: return p;
  }
}

/* ---- many events of one half-life rule -----------------------------------
 * The scorer decays every event of an `each` criterion, ~7 per lead, so
 * this loop is most of a score.  It computes what half_life computes, to
 * the bit, with less work per event, because a rubric's rule is small:
 *   - 2 <= H < 2^36 s (every span the parser accepts, but 1s) and ages
 *     below 2^36 s (~2177 years): n and f together are the 92-bit
 *     Q = floor(2^56 age / H), and with M = ceil(2^128 / H) (exact but for
 *     e = M H - 2^128 < H), Q = floor(age M / 2^72): age M / 2^72 exceeds
 *     2^56 age / H by 2^56 age e / (H 2^128) < 1 / H, less than the gap
 *     from 2^56 age / H up to the next integer (a multiple of 1/H).  Two
 *     independent multiplies instead of three dependent divisions;
 *   - |points| below 2^30 (rubrics allow 10^9): the product |p| g is below
 *     2^92, so it is rounded from its bits above 2^32: for s >= 62,
 *     floor((X + 2^(s-1)) / 2^s) = floor((floor(X / 2^32) + 2^(s-33)) /
 *     2^(s-32)), exact because 2^(s-1) is a multiple of 2^32;
 *   - the sign is applied once to the sum of the magnitudes.
 * Any other event goes through half_life.  tests/test_decay.c compares the
 * two over random rules and ages. */

#define FAST_LIMIT ((uint64_t)1 << 36)

/* Sums are kept in units of 2^-32 milli-points ("fine" values) and
 * rounded once per criterion, so the error of a sum does not grow with its
 * number of events (every parsed rule has |points| < 2^30, so one event's
 * fine value is below 2^62 and 10,000 of them below 2^76: a 128-bit
 * accumulator).  Error of one event's fine value: the kernel's relative
 * error (< 3e-17, above) times |p| < 2^30, below 4e-8 milli-points, plus
 * the truncation to 2^-32 (2.4e-10); over 10,000 events < 5e-4, so with
 * the final rounding (<= 0.5) every sum is within 0.501 of exact. */
#define FINE_BITS 32u

typedef struct fine_sum {
  uint64_t hi, lo;
} fine_sum;

static void fine_add(fine_sum *s, uint64_t v) {
  s->lo += v;
  s->hi += s->lo < v;
}

/* The sum in milli-points, rounded half up (a magnitude: the sign is
 * applied by the caller); below 2^44 for 10,000 events. */
static uint64_t fine_round(const fine_sum *s) {
  uint64_t lo = s->lo + ((uint64_t)1 << (FINE_BITS - 1u)), hi = s->hi + (lo < s->lo);
  return (hi << (64u - FINE_BITS)) | (lo >> FINE_BITS);
}

/* |p| * g / 2^(62 + n) in fine units, truncated: (hi:lo) >> (30 + n). */
static LG__INLINE uint64_t fine_shift(uint64_t hi, uint64_t lo, uint64_t n) {
  unsigned sh;
  if (n >= 128u) return 0;
  sh = 62u - FINE_BITS + (unsigned)n;
  if (sh >= 128u) return 0;
  if (sh >= 64u) return hi >> (sh - 64u);
  return sh == 0 ? lo : (lo >> sh) | (hi << (64u - sh));
}

static LG__INLINE uint64_t hl_fast(uint64_t m_hi, uint64_t m_lo, uint64_t mag, uint64_t age) {
#if defined(__SIZEOF_INT128__) && !defined(LG_NO_INT128)
  /* the same words as below, in 128-bit arithmetic: the compiler then
   * adds with a carry and shifts by double-word instructions */
  lg__u128 q = (lg__u128)age * m_hi + (((lg__u128)age * m_lo) >> 64); /* age M / 2^64 */
  uint64_t n = (uint64_t)(q >> 64), f;
  /* |p| g < 2^92, so (|p| g) >> 30 < 2^62 is a word, and shifted by
   * n >= 62 it is 0, as (|p| g) >> (30 + n) is: the shift by 30 + n in
   * two steps, the second one of a word (floor of a floor is exact) */
  if (n >= 62) return 0;
  f = (uint64_t)q >> 8;
  return (uint64_t)(((lg__u128)mag * pow2_neg_frac(f)) >> (62u - FINE_BITS)) >> n;
#else
  uint64_t h1, l1, h2, l2, mid, n, f, hi, lo;
  mul_64x64(age, m_lo, &h1, &l1);
  mul_64x64(age, m_hi, &h2, &l2);
  mid = l2 + h1;        /* bits 64..127 of age M */
  n = h2 + (mid < l2);  /* bits 128.. : Q / 2^56 */
  if (n > 66) return 0; /* |p| g < 2^92: below 2^-32 past 2^-(62+60) */
  f = mid >> 8;         /* bits 72..127: Q mod 2^56 */
  mul_64x64(mag, pow2_neg_frac(f), &hi, &lo);
  return fine_shift(hi, lo, n);
#endif
}

static uint64_t half_life_fast(const lg__decay_rule *rule, uint64_t mag, uint64_t age) {
  return hl_fast(rule->m_hi, rule->m_lo, mag, age);
}

/* One event's decayed magnitude in fine units, any rule and age, for
 * |points| < 2^30. */
static uint64_t decay_fine(const lg__decay_rule *rule, uint64_t mag, int64_t age) {
  uint64_t d = (uint64_t)rule->span, r, n, hi, lo, q, rem;
  if (age <= 0) return mag << FINE_BITS;
  switch (rule->kind) {
  case LG__DECAY_HALF_LIFE:
    if (rule->span <= 0) return 0;
    n = div_inv((uint64_t)age, d, rule->inv, &r);
    mul_64x64(mag, pow2_neg_frac(frac56(r, d, rule->inv)), &hi, &lo);
    return fine_shift(hi, lo, n);
  case LG__DECAY_EXPIRE: return age < rule->span ? mag << FINE_BITS : 0;
  case LG__DECAY_LINEAR:
    if (age >= rule->span) return 0;
    /* |p| (D - age) / D with 32 more bits: |p| (D - age) < 2^30 2^63 */
    mul_64x64(mag, d - (uint64_t)age, &hi, &lo);
    q = long_div(hi, lo, 64, d, &rem);
    return (q << FINE_BITS) | long_div(rem, 0, FINE_BITS, d, &rem);
  default: return mag << FINE_BITS;
  }
}

/* Events are taken in chunks: first the indices of the chunk's events of
 * type t are gathered without a branch (which type comes next is as good
 * as random, so a branch on it would be mispredicted half the time), then
 * only those are decayed. */
#define CHUNK 32

int64_t lg__decay_sum(const lg__decay_rule *rule, lg_time now, const lg_time *at,
                      const uint16_t *type, uint16_t t, uint32_t n, uint32_t *count) {
  int64_t  p = rule->points, sum = 0;
  uint64_t mag = magnitude(p), total;
  uint32_t base, i, k, m, c = 0;
  uint16_t idx[CHUNK];
  fine_sum fine = { 0, 0 };
  int      small = mag < ((uint64_t)1 << 30), fast = rule->m_hi != 0 && small;
  for (base = 0; base < n; base += CHUNK) {
    uint32_t end = n - base < CHUNK ? n : base + CHUNK;
    for (i = base, m = 0; i < end; i++) {
      idx[m] = (uint16_t)i;
      m += type[i] == t;
    }
    c += m;
    for (k = 0; k < m; k++) {
      uint64_t age = (uint64_t)(now - at[idx[k]]);
      if (fast && age < FAST_LIMIT)
        fine_add(&fine, age == 0 ? mag << FINE_BITS : half_life_fast(rule, mag, age));
      else if (small)
        fine_add(&fine, decay_fine(rule, mag, (int64_t)age));
      else /* points beyond any parsed rule: rounded per event */
        sum += lg__decay_one(rule, (int64_t)age);
    }
  }
  *count = c;
  total = fine_round(&fine);
  return sum + (p < 0 ? -(int64_t)total : (int64_t)total);
}

/* ---- one pass over a lead's events for all its half-life criteria --------
 * lg__decay_sum walks all the events once per criterion; the scorer
 * instead makes one pass that decays every event under its type's slot.
 * Each event's fine value is the one lg__decay_sum adds for it
 * (half_life_fast, and for age 0 half_life_fast gives mag << FINE_BITS
 * too: f = 0 makes pow2_neg_frac exactly 2^62, n = 0), and a sum of
 * integers does not depend on the order of its terms, so every slot's
 * sum is lg__decay_sum's to the bit.  Events of types without a slot go
 * to slot 0, whose magnitude is 0 (no branch on the type: see
 * lg__decay_sum).  Ages of 2^36 s or more leave the fast kernel's range:
 * the pass then returns 0 and the caller takes lg__decay_sum. */

int lg__decay_fast_rule(const lg__decay_rule *rule) {
  return rule->m_hi != 0 && magnitude(rule->points) < ((uint64_t)1 << 30);
}

int lg__decay_pass(lg__decay_slot *slots, const uint8_t *slot_of, lg_time now, const lg_time *at,
                   const uint16_t *type, uint32_t n, uint32_t *last) {
  uint32_t i;
  /* events are sorted by time: the first is the oldest */
  if (n > 0 && (uint64_t)(now - at[0]) >= FAST_LIMIT) return 0;
  for (i = 0; i < n; i++) {
    uint16_t        t = type[i];
    lg__decay_slot *s = &slots[slot_of[t]];
    uint64_t        age = (uint64_t)(now - at[i]), v;
    last[t] = i + 1;
    v = hl_fast(s->m_hi, s->m_lo, s->mag, age);
    s->lo += v;
    s->hi += s->lo < v;
  }
  return 1;
}

int64_t lg__decay_slot_total(const lg__decay_slot *s, int64_t points) {
  fine_sum f;
  uint64_t total;
  f.hi = s->hi;
  f.lo = s->lo;
  total = fine_round(&f);
  return points < 0 ? -(int64_t)total : (int64_t)total;
}
