/*
 * lead.c - the lead object and everything that stores into it: the
 * lg_lead_* functions of leadgate.h that store strings or events (the
 * stage, the rest of the follow-up timeline and the read-back are in
 * lead_timeline.c) and the lookups the evaluators use
 * (lg__lead_find_attr, lg__lead_find_type, lg__lead_events_upto).
 *
 * Storage (struct lg_lead in internal.h):
 *   - arena: every string of the lead, NUL-terminated, addressed by 32-bit
 *     offsets so that the tables stay small and a clone is a few memcpys.
 *     The id is not in the arena: it follows the struct in the lead's own
 *     block, or, after lg_lead_reset to an id longer than any before, sits
 *     in a block of its own (id_cap says how much it holds), so the
 *     pointer lg_lead_id returns moves only at a reset.  The arena is
 *     made by the first call that stores a string.  A text replaced by a
 *     longer one, an unset attribute or a shortened text leaves garbage
 *     behind, counted in arena_garbage; once more than half the arena is
 *     garbage the next call that needs more arena space than is free
 *     compacts it instead of growing it.  It stays below 8 MiB (arena_reserve), so offsets fit in
 *     24 bits.
 *   - attrs: unordered table, found by name length then bytes (<= 256
 *     entries; 16 bytes each, no stored hash: a typical lead has a handful
 *     of attributes whose names mostly differ in length already).
 *   - ev_at / ev_type: events as two parallel arrays sorted by time, equal
 *     times in insertion order.  Both live in ONE block (ev_type right after
 *     ev_at[cap_events]) so a growth is a single, atomic allocation.
 *   - types: the distinct event type names, each an arena offset and a
 *     length packed in 32 bits (lg__evtype); ev_type indexes it (uint16 is
 *     enough: at most 10,000 events, so at most 10,000 types).
 *   - asg: the assignment timeline, the last entry is the current one.
 *   - snz: the snoozes of every assignment, each assignment's sorted and
 *     merged, the current assignment's last (only it takes new ones).
 *
 * Failure atomicity: each mutating call validates everything, then makes
 * every allocation it may need (arena first: it always exists, so growing
 * or compacting it never changes the number of live blocks and never
 * changes what the lead holds), and only then writes.  A failed call
 * leaves the lead as it was and leaks nothing.
 *
 * Sizes are kept small on purpose: a typical lead (8 attributes, 8 events)
 * should cost about half a kilobyte, so arrays start small and small arenas
 * are sized exactly.  A host building many leads resets one lead
 * (lg_lead_reset keeps every block), so after the first few leads
 * building allocates nothing; lg_lead_reserve makes the room up front.
 */
#include "internal.h"

#include <string.h>

/* Arenas up to this size grow to the exact need: most leads stay below it
 * and a realloc of a small block is cheap.  Beyond it they grow by half
 * again, so building a large lead stays amortised O(1) per byte. */
#define ARENA_EXACT_UPTO 512u

/* First capacities of the tables (lg__grow doubles from there). */
#define FIRST_ATTRS  4u
#define FIRST_TYPES  4u
#define FIRST_EVENTS 4u
#define FIRST_ASG    1u /* most leads are assigned once, if at all */

/* ---- argument checks ---------------------------------------------------- */

/* Length of s, or max + 1 when it is longer than max bytes (memchr stops
 * at the NUL: over-long input costs O(max)), and whether those bytes are
 * all ASCII, so that the usual text needs no UTF-8 decoding. */
static size_t text_scan(const char *s, size_t max, int *ascii) {
  const char *end = memchr(s, '\0', max + 1);
  size_t      n = end ? (size_t)(end - s) : max + 1, i = 0;
  uint64_t    high = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    high |= w;
  }
  for (; i < n; i++) high |= (unsigned char)s[i];
  *ascii = (high & UINT64_C(0x8080808080808080)) == 0;
  return n;
}

/* Bit 1: may be in a name ([a-z0-9_]); bit 2: may start one ([a-z]). */
static const unsigned char name_class[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, /* 0x30: 0-9 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 0x50: _ */
  0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x60: a-o */
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, /* 0x70: p-z */
};

/* Whether byte s[i] may be in a name. */
#define NAME_BYTE(s, i) (name_class[(s)[i]] & 1)

/* A name [a-z][a-z0-9_]{0,63} (lg__name_valid's rule); its length in
 * *len.  One pass, reading at most 65 bytes, each only once the one
 * before it was a name byte (so never past the NUL).  Four bytes a round
 * with one bound check: bytes 1..60 in rounds, 61..63 one by one. */
static int name_ok(const char *name, size_t *len) {
  const unsigned char *s = (const unsigned char *)name;
  size_t               n = 1;
  if (!s || !(name_class[s[0]] & 2)) return 0;
  for (; n + 4 <= LG_MAX_NAME_BYTES; n += 4) {
    if (!NAME_BYTE(s, n)) goto end;
    if (!NAME_BYTE(s, n + 1)) {
      n += 1;
      goto end;
    }
    if (!NAME_BYTE(s, n + 2)) {
      n += 2;
      goto end;
    }
    if (!NAME_BYTE(s, n + 3)) {
      n += 3;
      goto end;
    }
  }
  while (n < LG_MAX_NAME_BYTES && NAME_BYTE(s, n)) n++;
end:
  *len = n;
  return s[n] == '\0';
}

/* An id or an owner: 1 to 256 bytes of UTF-8; its length in *len. */
static int label_ok(const char *s, size_t *len) {
  int ascii;
  if (!s) return 0;
  *len = text_scan(s, LG_MAX_ID_BYTES, &ascii);
  return *len >= 1 && *len <= LG_MAX_ID_BYTES && (ascii || lg__utf8_valid(s, *len));
}

/* lg__time_valid, inline on the paths that check every event. */
static int time_ok(lg_time t) { return t >= LG_TIME_MIN && t <= LG_TIME_MAX; }

/* ---- arena -------------------------------------------------------------- */

static uint32_t arena_cap_for(uint32_t need) {
  return need > ARENA_EXACT_UPTO ? need + need / 2 : need;
}

/* memcpy for the short strings a lead mostly holds (names, short texts):
 * up to 16 bytes as two overlapping loads and stores, without a call. */
static void copy_short(char *dst, const char *s, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    memcpy(dst, &a, 8);
    memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4 && n < 8) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    memcpy(dst, &a, 4);
    memcpy(dst + n - 4, &b, 4);
  } else if (n > 16) {
    memcpy(dst, s, n);
  } else if (n > 0) { /* 1 to 3 bytes */
    dst[0] = s[0];
    dst[n / 2] = s[n / 2];
    dst[n - 1] = s[n - 1];
  }
}

/* Appends s[0..n) and a NUL; the space must have been reserved. */
static uint32_t arena_put(lg_lead *lead, const char *s, size_t n) {
  uint32_t off = lead->arena_len;
  copy_short(lead->arena + off, s, n);
  lead->arena[off + n] = '\0';
  lead->arena_len = off + (uint32_t)n + 1;
  return off;
}

/* Bytes of the strings the lead still refers to, NULs included.  Computed
 * from the tables rather than trusted from arena_garbage, so a compaction
 * can never write past the block it sized with this. */
static uint32_t arena_live(const lg_lead *lead) {
  size_t   live = 0;
  uint32_t i;
  for (i = 0; i < lead->n_attrs; i++) {
    live += (size_t)lead->attrs[i].name_len + 1;
    if (lead->attrs[i].type == LG__VAL_TEXT) live += (size_t)lead->attrs[i].text_len + 1;
  }
  for (i = 0; i < lead->n_types; i++) live += lg__evtype_len(&lead->types[i]) + 1;
  for (i = 0; i < lead->n_asg; i++) live += strlen(lead->arena + lead->asg[i].owner) + 1;
  return (uint32_t)live;
}

/* Copies the string at `*off` of `src_arena` (n bytes + NUL) to the end of
 * dst and points *off at the copy. */
static void move_str(char *dst, uint32_t *dst_len, const char *src_arena, uint32_t *off, size_t n) {
  memcpy(dst + *dst_len, src_arena + *off, n + 1);
  *off = *dst_len;
  *dst_len += (uint32_t)n + 1;
}

/* Copies the live strings of `from` into `block` and rewrites the offsets
 * of `to`, whose tables must hold the same offsets as from's (to == from
 * compacts in place; a fresh copy of the tables makes a clone).  Cannot
 * fail: `block` was sized with arena_live.  Returns the bytes written. */
static uint32_t arena_copy_live(const lg_lead *from, lg_lead *to, char *block) {
  const char *src = from->arena;
  uint32_t    len = 0, i;
  for (i = 0; i < to->n_attrs; i++) {
    lg__attr *a = &to->attrs[i];
    move_str(block, &len, src, &a->name, a->name_len);
    if (a->type == LG__VAL_TEXT) {
      uint32_t text = (uint32_t)a->value;
      move_str(block, &len, src, &text, a->text_len);
      a->value = text;
    }
  }
  for (i = 0; i < to->n_types; i++) {
    lg__evtype *t = &to->types[i];
    uint32_t    off = lg__evtype_off(t), n = lg__evtype_len(t);
    move_str(block, &len, src, &off, n);
    t->ref = off | n << 24;
  }
  for (i = 0; i < to->n_asg; i++)
    move_str(block, &len, src, &to->asg[i].owner, strlen(src + to->asg[i].owner));
  return len;
}

/* Replaces the arena by a new block holding only the live strings and room
 * for `extra` more bytes.  The allocation comes first: on failure the lead
 * is untouched. */
static lg_status arena_compact(lg_lead *lead, uint32_t extra) {
  uint32_t live = arena_live(lead), cap = arena_cap_for(live + extra);
  char    *block = lg__malloc(cap);
  char    *old = lead->arena;
  if (!block) return LG_ERR_NOMEM;
  lead->arena_len = arena_copy_live(lead, lead, block);
  lead->arena = block;
  lead->arena_cap = cap;
  lead->arena_garbage = 0;
  lg__free(old);
  return LG_OK;
}

/* Makes room for `extra` more bytes at the end of the arena, compacting it
 * when more than half is garbage.  What the lead holds does not change,
 * but string pointers handed out before may (see lg_lead_get_text). */
static lg_status arena_reserve(lg_lead *lead, size_t extra) {
  uint32_t need, cap;
  char    *p;
  /* Room that is free is used as it is (a call that needs no space, or
   * less than lg_lead_reserve made, never allocates). */
  if (extra <= lead->arena_cap - lead->arena_len) return LG_OK;
  /* Unreachable with the documented limits (the live strings of a lead
   * stay below 2 MiB, so with garbage and slack the arena below 8 MiB);
   * kept so that offsets always fit the 24 bits an event type has. */
  if (lead->arena_len > LG__ARENA_MAX / 2 || extra > LG__ARENA_MAX / 2 - lead->arena_len)
    return LG_ERR_NOMEM;
  if (lead->arena_garbage > lead->arena_len / 2) return arena_compact(lead, (uint32_t)extra);
  need = lead->arena_len + (uint32_t)extra;
  cap = arena_cap_for(need);
  p = lead->arena ? lg__realloc(lead->arena, cap) : lg__malloc(cap);
  if (!p) return LG_ERR_NOMEM;
  lead->arena = p;
  lead->arena_cap = cap;
  return LG_OK;
}

/* Inputs are copied to the stack before the arena can move: the caller may
 * pass back one of the lead's own strings (lg_lead_get_text, lg_lead_owner,
 * lg_lead_id), which growing or compacting the arena would free.  Every
 * input is bounded (names 64, owners 256, texts 1024 bytes), so the copy
 * is cheap and needs no allocation. */
static const char *stack_copy(char *buf, const char *s, size_t n) {
  if (n) memcpy(buf, s, n);
  return buf;
}

/* A call whose first arena_reserve made the arena (`fresh`) and then
 * failed gives it back, so the failure leaves the number of live blocks
 * as it was.  Nothing was written to it yet. */
static void arena_undo_fresh(lg_lead *lead, int fresh) {
  if (!fresh) return;
  lg__free(lead->arena);
  lead->arena = NULL;
  lead->arena_cap = 0;
}

/* ---- tables ------------------------------------------------------------- */

void *lg__table_reserve(void *arr, uint32_t *cap, uint32_t need, size_t elem, uint32_t first) {
  void *p;
  if (need <= *cap) return arr;
  if (*cap > 0 || need > first) return lg__grow(arr, cap, need, elem);
  p = lg__malloc((size_t)first * elem);
  if (p) *cap = first;
  return p;
}

/* Room for `need` (<= LG_MAX_EVENTS) events in all, doubling.  ev_type
 * sits right after ev_at[cap_events] in the same block, so after the
 * realloc it is moved up behind the larger ev_at (memmove: the two ranges
 * may overlap). */
static lg_status events_reserve(lg_lead *lead, uint32_t need) {
  uint32_t cap = lead->cap_events, ncap;
  lg_time *block;
  if (need <= cap) return LG_OK;
  ncap = cap ? cap * 2 : FIRST_EVENTS;
  if (ncap > LG_MAX_EVENTS) ncap = LG_MAX_EVENTS;
  if (ncap < need) ncap = need;
  block = lg__realloc(lead->ev_at, (size_t)ncap * (sizeof(lg_time) + sizeof(uint16_t)));
  if (!block) return LG_ERR_NOMEM;
  memmove(block + ncap, block + cap, (size_t)lead->n_events * sizeof(uint16_t));
  lead->ev_at = block;
  lead->ev_type = (uint16_t *)(void *)(block + ncap);
  lead->cap_events = ncap;
  return LG_OK;
}

/* ---- lookups ------------------------------------------------------------ */

/* The bit of lg_lead.attr_bits for name[0..n), n >= 1: from the length
 * and the first and last bytes (column names often share the first). */
static uint64_t name_bit(const char *name, size_t n) {
  size_t h = n * 7 ^ (unsigned char)name[0] ^ (size_t)(unsigned char)name[n - 1] << 1;
  return (uint64_t)1 << (h % 64);
}

/* Names are told apart by length and first byte before any memcmp. */
static int32_t attr_scan(const lg_lead *lead, const char *name, size_t n) {
  uint32_t i;
  for (i = 0; i < lead->n_attrs; i++) {
    const lg__attr *a = &lead->attrs[i];
    const char     *s = lead->arena + a->name;
    if (a->name_len == n && s[0] == name[0] && memcmp(s, name, n) == 0) return (int32_t)i;
  }
  return -1;
}

/* A name whose bit is clear (most new names) is told without looking. */
static int32_t attr_index(const lg_lead *lead, const char *name, size_t n) {
  if (n == 0 || !(lead->attr_bits & name_bit(name, n))) return -1;
  return attr_scan(lead, name, n);
}

const lg__attr *lg__lead_find_attr(const lg_lead *lead, const char *name, size_t name_len) {
  int32_t i;
  if (!lead || !name) return NULL;
  i = attr_index(lead, name, name_len);
  return i < 0 ? NULL : &lead->attrs[i];
}

int32_t lg__lead_find_type(const lg_lead *lead, const char *name, size_t name_len) {
  uint32_t i;
  if (!lead || !name) return -1;
  for (i = 0; i < lead->n_types; i++) {
    const lg__evtype *t = &lead->types[i];
    if (lg__evtype_len(t) == name_len &&
        memcmp(lead->arena + lg__evtype_off(t), name, name_len) == 0)
      return (int32_t)i;
  }
  return -1;
}

/* Index of the first of ev_at[0..n) later than t (upper bound): events at
 * t keep coming after the ones already there. */
static uint32_t events_after(const lg_time *ev_at, uint32_t n, lg_time t) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (ev_at[mid] <= t)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

uint32_t lg__lead_events_upto(const lg_lead *lead, lg_time now) {
  if (!lead || lead->n_events == 0) return 0;
  if (lead->ev_at[lead->n_events - 1] <= now) return lead->n_events;
  return events_after(lead->ev_at, lead->n_events, now);
}

/* The attribute called `name`, after checking the arguments of a getter. */
static lg_status attr_lookup(const lg_lead *lead, const char *name, const void *out,
                             const lg__attr **attr) {
  size_t n;
  if (!lead || !out || !name_ok(name, &n)) return LG_ERR_INVALID;
  *attr = lg__lead_find_attr(lead, name, n);
  return *attr ? LG_OK : LG_ERR_NOT_FOUND;
}

/* ---- create, clone, free ------------------------------------------------ */

/* What lg_lead_create leaves and lg_lead_reset restores; the blocks and
 * their capacities are kept. */
static void lead_empty(lg_lead *lead) {
  lead->arena_len = lead->arena_garbage = 0;
  lead->attr_bits = 0;
  lead->n_attrs = lead->n_events = lead->n_types = lead->n_asg = lead->n_snz = 0;
  lead->stage = LG_STAGE_NEW;
  lead->stage_at = LG_TIME_NEVER; /* no stage change yet */
}

/* The id's place right after the struct, in the lead's own block. */
static char *inline_id(lg_lead *lead) { return (char *)(lead + 1); }

lg_status lg_lead_create(const char *id, lg_lead **out) {
  lg_lead *lead;
  size_t   n;
  if (!out || !label_ok(id, &n)) return LG_ERR_INVALID;
  lead = lg__malloc(sizeof *lead + n + 1);
  if (!lead) return LG_ERR_NOMEM;
  memset(lead, 0, sizeof *lead);
  lead_empty(lead);
  lead->id = inline_id(lead);
  lead->id_cap = (uint32_t)n + 1;
  memcpy(lead->id, id, n);
  lead->id[n] = '\0';
  *out = lead;
  return LG_OK;
}

/* A longer id than the lead's block holds gets a block of its own, made
 * before anything changes; a shorter one is copied over the old (memmove:
 * `id` may be the lead's own). */
lg_status lg_lead_reset(lg_lead *lead, const char *id) {
  size_t n;
  if (!lead || !label_ok(id, &n)) return LG_ERR_INVALID;
  if (n + 1 > lead->id_cap) {
    char *block = lg__malloc(n + 1);
    if (!block) return LG_ERR_NOMEM;
    if (lead->id != inline_id(lead)) lg__free(lead->id);
    lead->id = block;
    lead->id_cap = (uint32_t)n + 1;
  }
  memmove(lead->id, id, n);
  lead->id[n] = '\0';
  lead_empty(lead);
  return LG_OK;
}

void lg_lead_free(lg_lead *lead) {
  if (!lead) return;
  if (lead->id != inline_id(lead)) lg__free(lead->id);
  lg__free(lead->arena);
  lg__free(lead->attrs);
  lg__free(lead->ev_at); /* ev_type lives in the same block */
  lg__free(lead->types);
  lg__free(lead->asg);
  lg__free(lead->snz);
  lg__free(lead);
}

/* A copy of n bytes of src in a new block; *ok = 0 if that failed.
 * Nothing to copy, or an earlier failure (*ok == 0), gives NULL. */
static void *dup_bytes(const void *src, size_t n, int *ok) {
  void *p;
  if (n == 0 || !*ok) return NULL;
  p = lg__malloc(n);
  if (!p)
    *ok = 0;
  else
    memcpy(p, src, n);
  return p;
}

/* The clone's event block, holding exactly the n events (cap_events = n). */
static lg_time *dup_events(const lg_lead *lead, int *ok) {
  uint32_t n = lead->n_events;
  lg_time *block;
  if (n == 0 || !*ok) return NULL;
  block = lg__malloc((size_t)n * (sizeof(lg_time) + sizeof(uint16_t)));
  if (!block) {
    *ok = 0;
    return NULL;
  }
  memcpy(block, lead->ev_at, (size_t)n * sizeof(lg_time));
  memcpy(block + n, lead->ev_type, (size_t)n * sizeof(uint16_t));
  return block;
}

/* Tables are copied to their exact size and the arena is compacted on the
 * way: a clone holds no garbage and no slack. */
lg_status lg_lead_clone(const lg_lead *lead, lg_lead **out) {
  lg_lead *c;
  int      ok = 1;
  uint32_t live;
  size_t   id_size;
  if (!lead || !out) return LG_ERR_INVALID;
  id_size = strlen(lead->id) + 1;
  c = lg__malloc(sizeof *c + id_size);
  if (!c) return LG_ERR_NOMEM;
  *c = *lead;
  c->id = inline_id(c);
  c->id_cap = (uint32_t)id_size;
  memcpy(c->id, lead->id, id_size);
  c->attrs = dup_bytes(lead->attrs, lead->n_attrs * sizeof(lg__attr), &ok);
  c->types = dup_bytes(lead->types, lead->n_types * sizeof(lg__evtype), &ok);
  c->asg = dup_bytes(lead->asg, lead->n_asg * sizeof(lg__assignment), &ok);
  c->snz = dup_bytes(lead->snz, lead->n_snz * sizeof(lg__snooze), &ok);
  c->ev_at = dup_events(lead, &ok);
  c->ev_type = c->ev_at ? (uint16_t *)(void *)(c->ev_at + lead->n_events) : NULL;
  live = arena_live(lead);
  c->arena = ok && live > 0 ? lg__malloc(live) : NULL;
  if (!ok || (live > 0 && !c->arena)) {
    lg_lead_free(c);
    return LG_ERR_NOMEM;
  }
  c->cap_attrs = c->n_attrs;
  c->cap_types = c->n_types;
  c->cap_asg = c->n_asg;
  c->cap_snz = c->n_snz;
  c->cap_events = c->n_events;
  c->arena_len = arena_copy_live(lead, c, c->arena);
  c->arena_cap = live;
  c->arena_garbage = 0;
  *out = c;
  return LG_OK;
}

const char *lg_lead_id(const lg_lead *lead) { return lead ? lead->id : NULL; }

/* The most string bytes (NULs not counted) a lead can hold: every
 * attribute with the longest name and text, every event of its own type
 * with the longest name, every assignment with the longest owner. */
#define LEAD_BYTES_MAX                                                   \
  ((size_t)LG_MAX_ATTRIBUTES * (LG_MAX_NAME_BYTES + LG_MAX_TEXT_BYTES) + \
   (size_t)LG_MAX_EVENTS * LG_MAX_NAME_BYTES + (size_t)LG_MAX_ASSIGNMENTS * LG_MAX_ID_BYTES)

/* A string stored costs its NUL too: a new attribute stores a name and a
 * text, an event at most one new type.  Room for the types goes with the
 * events: each event may bring one. */
lg_status lg_lead_reserve(lg_lead *lead, size_t attrs, size_t events, size_t bytes) {
  int         fresh_arena, fresh_attrs, fresh_types;
  uint32_t    need_attrs, need_types;
  lg__attr   *a;
  lg__evtype *t;
  lg_status   st;
  if (!lead) return LG_ERR_INVALID;
  if (attrs > LG_MAX_ATTRIBUTES - lead->n_attrs || events > LG_MAX_EVENTS - lead->n_events ||
      bytes > LEAD_BYTES_MAX)
    return LG_ERR_LIMIT;
  need_attrs = lead->n_attrs + (uint32_t)attrs;
  need_types = lead->n_types + (uint32_t)events;
  fresh_arena = lead->arena == NULL;
  fresh_attrs = lead->attrs == NULL;
  fresh_types = lead->types == NULL;
  st = arena_reserve(lead, bytes + 2 * attrs + events);
  if (st != LG_OK) return st;
  if (need_attrs > lead->cap_attrs) {
    a = lg__table_reserve(lead->attrs, &lead->cap_attrs, need_attrs, sizeof *a, FIRST_ATTRS);
    if (!a) goto nomem;
    lead->attrs = a;
  }
  if (need_types > lead->cap_types) {
    t = lg__table_reserve(lead->types, &lead->cap_types, need_types, sizeof *t, FIRST_TYPES);
    if (!t) goto nomem;
    lead->types = t;
  }
  if (events_reserve(lead, lead->n_events + (uint32_t)events) == LG_OK) return LG_OK;
nomem: /* give back the tables made here; grown ones keep their room */
  if (fresh_types && lead->types) {
    lg__free(lead->types);
    lead->types = NULL;
    lead->cap_types = 0;
  }
  if (fresh_attrs && lead->attrs) {
    lg__free(lead->attrs);
    lead->attrs = NULL;
    lead->cap_attrs = 0;
  }
  arena_undo_fresh(lead, fresh_arena);
  return LG_ERR_NOMEM;
}

/* ---- attributes --------------------------------------------------------- */

/* A value to store: type, number (int, bool) or text. */
typedef struct new_value {
  uint8_t     type;
  int64_t     num;
  const char *text;
  size_t      text_len;
} new_value;

/* Arena bytes a set needs: the name for a new attribute, the text unless
 * it fits over the old text in place. */
static size_t set_arena_need(const lg__attr *old, size_t name_len, const new_value *v) {
  size_t need = old ? 0 : name_len + 1;
  int    in_place = old && old->type == LG__VAL_TEXT && v->text_len <= old->text_len;
  if (v->type == LG__VAL_TEXT && !in_place) need += v->text_len + 1;
  return need;
}

/* Writes v into a (whose name is set).  Any old text that is not reused
 * becomes garbage.  Cannot fail: the space was reserved. */
static void store_value(lg_lead *lead, lg__attr *a, const new_value *v) {
  int was_text = a->type == LG__VAL_TEXT;
  if (v->type == LG__VAL_TEXT && was_text && v->text_len <= a->text_len) {
    char *dst = lead->arena + a->value;
    memmove(dst, v->text, v->text_len); /* v->text may be this very text */
    dst[v->text_len] = '\0';
    lead->arena_garbage += (uint32_t)(a->text_len - v->text_len);
  } else {
    if (was_text) lead->arena_garbage += (uint32_t)a->text_len + 1;
    if (v->type == LG__VAL_TEXT) a->value = arena_put(lead, v->text, v->text_len);
  }
  if (v->type == LG__VAL_TEXT) {
    a->text_len = (uint16_t)v->text_len;
  } else {
    a->value = v->num;
    a->text_len = 0;
  }
  a->type = v->type;
}

/* Sets attribute name[0..n) (already checked) to v.  When the arena has
 * room (a reset or reserved lead) nothing moves and nothing is copied. */
static lg_status set_attr(lg_lead *lead, const char *name, size_t n, new_value *v) {
  uint64_t  bit = name_bit(name, n); /* the bloom test inline: most names are new */
  int32_t   i = lead->attr_bits & bit ? attr_scan(lead, name, n) : -1;
  char      name_buf[LG_MAX_NAME_BYTES], text_buf[LG_MAX_TEXT_BYTES];
  lg__attr *a;
  lg_status st;
  size_t    need;
  int       fresh = lead->arena == NULL;
  if (i < 0 && lead->n_attrs >= LG_MAX_ATTRIBUTES) return LG_ERR_LIMIT;
  need = set_arena_need(i < 0 ? NULL : &lead->attrs[i], n, v);
  if (need > lead->arena_cap - lead->arena_len) { /* the arena will move */
    name = stack_copy(name_buf, name, n);
    if (v->type == LG__VAL_TEXT) v->text = stack_copy(text_buf, v->text, v->text_len);
    st = arena_reserve(lead, need);
    if (st != LG_OK) return st;
  }
  if (i < 0) {
    if (lead->n_attrs == lead->cap_attrs) { /* no room left (a call only when it must grow) */
      a = lg__table_reserve(lead->attrs, &lead->cap_attrs, lead->n_attrs + 1, sizeof *a,
                            FIRST_ATTRS);
      if (!a) {
        arena_undo_fresh(lead, fresh);
        return LG_ERR_NOMEM;
      }
      lead->attrs = a;
    }
    a = &lead->attrs[lead->n_attrs++];
    memset(a, 0, sizeof *a);
    a->name_len = (uint8_t)n;
    a->name = arena_put(lead, name, n);
    lead->attr_bits |= bit;
  } else {
    a = &lead->attrs[i];
  }
  store_value(lead, a, v);
  return LG_OK;
}

/* Argument errors come first (INVALID), then the text's size (LIMIT, found
 * without reading past 1025 bytes), then its encoding (ASCII, the usual
 * case, is seen on the way). */
lg_status lg_lead_set_text(lg_lead *lead, const char *name, const char *value) {
  new_value v = { LG__VAL_TEXT, 0, NULL, 0 };
  size_t    n, len;
  int       ascii;
  if (!lead || !value || !name_ok(name, &n)) return LG_ERR_INVALID;
  len = text_scan(value, LG_MAX_TEXT_BYTES, &ascii);
  if (len > LG_MAX_TEXT_BYTES) return LG_ERR_LIMIT;
  if (!ascii && !lg__utf8_valid(value, len)) return LG_ERR_INVALID;
  v.text = value;
  v.text_len = len;
  return set_attr(lead, name, n, &v);
}

lg_status lg_lead_set_int(lg_lead *lead, const char *name, int64_t value) {
  new_value v = { LG__VAL_INT, 0, NULL, 0 };
  size_t    n;
  if (!lead || !name_ok(name, &n)) return LG_ERR_INVALID;
  v.num = value;
  return set_attr(lead, name, n, &v);
}

lg_status lg_lead_set_bool(lg_lead *lead, const char *name, int value) {
  new_value v = { LG__VAL_BOOL, 0, NULL, 0 };
  size_t    n;
  if (!lead || !name_ok(name, &n)) return LG_ERR_INVALID;
  v.num = value != 0;
  return set_attr(lead, name, n, &v);
}

/* The table is unordered, so the last entry fills the hole. */
lg_status lg_lead_unset(lg_lead *lead, const char *name) {
  size_t    n;
  int32_t   i;
  lg__attr *a;
  if (!lead || !name_ok(name, &n)) return LG_ERR_INVALID;
  i = attr_index(lead, name, n);
  if (i < 0) return LG_ERR_NOT_FOUND;
  a = &lead->attrs[i];
  lead->arena_garbage += (uint32_t)a->name_len + 1;
  if (a->type == LG__VAL_TEXT) lead->arena_garbage += (uint32_t)a->text_len + 1;
  *a = lead->attrs[--lead->n_attrs];
  return LG_OK;
}

int lg_lead_attr_type(const lg_lead *lead, const char *name) {
  const lg__attr *a;
  int             dummy = 0;
  if (attr_lookup(lead, name, &dummy, &a) != LG_OK) return LG_VALUE_NONE;
  return a->type; /* LG__VAL_* and lg_value_type share their values */
}

lg_status lg_lead_get_text(const lg_lead *lead, const char *name, const char **value) {
  const lg__attr *a;
  lg_status       st = attr_lookup(lead, name, value, &a);
  if (st != LG_OK) return st;
  if (a->type != LG__VAL_TEXT) return LG_ERR_TYPE;
  *value = lg__lead_str(lead, (uint32_t)a->value);
  return LG_OK;
}

lg_status lg_lead_get_int(const lg_lead *lead, const char *name, int64_t *value) {
  const lg__attr *a;
  lg_status       st = attr_lookup(lead, name, value, &a);
  if (st != LG_OK) return st;
  if (a->type != LG__VAL_INT) return LG_ERR_TYPE;
  *value = a->value;
  return LG_OK;
}

lg_status lg_lead_get_bool(const lg_lead *lead, const char *name, int *value) {
  const lg__attr *a;
  lg_status       st = attr_lookup(lead, name, value, &a);
  if (st != LG_OK) return st;
  if (a->type != LG__VAL_BOOL) return LG_ERR_TYPE;
  *value = (int)a->value;
  return LG_OK;
}

/* ---- events ------------------------------------------------------------- */

/* An event type a batch adds, kept by value: the caller's string may be one
 * of the lead's own (lg_lead_attr_at), which growing the arena moves. */
typedef struct new_type {
  char   name[LG_MAX_NAME_BYTES];
  size_t len;
} new_type;

#define BATCH_NEW_TYPES 8 /* new types held on the stack; more take a block */
#define BATCH_SEEN      8 /* type pointers remembered with their index */

/* What lg_lead_add_events learns about its types while checking them. */
typedef struct batch {
  lg_lead    *lead;
  new_type   *added; /* `stack`, or a block of `cap_added` */
  uint32_t    n_added, cap_added, max_added;
  size_t      bytes; /* arena bytes the added types need */
  int         nomem; /* the block for more added types could not be made */
  const char *seen[BATCH_SEEN];
  uint16_t    seen_ti[BATCH_SEEN];
  uint32_t    n_seen;
  new_type    stack[BATCH_NEW_TYPES];
} batch;

static void batch_init(batch *b, lg_lead *lead, size_t n) {
  b->lead = lead;
  b->added = b->stack;
  b->n_added = 0;
  b->cap_added = BATCH_NEW_TYPES;
  /* one per event checked at most: LG_MAX_EVENTS and the one that fails */
  b->max_added = n <= LG_MAX_EVENTS ? (uint32_t)n : LG_MAX_EVENTS + 1;
  b->bytes = 0;
  b->nomem = 0;
  b->n_seen = 0;
}

static void batch_free(batch *b) {
  if (b->added != b->stack) lg__free(b->added);
}

/* Index among the added types of name[0..n), registering it if new. */
static uint32_t batch_add_type(batch *b, const char *name, size_t n) {
  uint32_t k;
  for (k = 0; k < b->n_added; k++)
    if (b->added[k].len == n && memcmp(b->added[k].name, name, n) == 0) return k;
  if (b->n_added == b->cap_added && b->cap_added < b->max_added && !b->nomem) {
    new_type *block = lg__malloc((size_t)b->max_added * sizeof *block);
    if (block) {
      memcpy(block, b->added, (size_t)b->n_added * sizeof *block);
      b->added = block;
      b->cap_added = b->max_added;
    } else {
      b->nomem = 1; /* the call fails with NOMEM once its arguments are checked */
    }
  }
  if (b->n_added < b->cap_added) {
    copy_short(b->added[k].name, name, n);
    b->added[k].len = n;
    b->bytes += n + 1;
    b->n_added++;
  }
  return k;
}

/* Checks `type` and finds its index: a type the lead has, or one the batch
 * adds (numbered after the lead's).  0 for a NULL or malformed name. */
static int batch_type(batch *b, const char *type, uint16_t *ti) {
  uint32_t k;
  size_t   n;
  int32_t  i;
  for (k = 0; k < b->n_seen; k++)
    if (b->seen[k] == type) {
      *ti = b->seen_ti[k];
      return 1;
    }
  if (!name_ok(type, &n)) return 0;
  i = lg__lead_find_type(b->lead, type, n);
  if (i < 0) i = (int32_t)(b->lead->n_types + batch_add_type(b, type, n));
  *ti = (uint16_t)i;
  k = b->n_seen < BATCH_SEEN ? b->n_seen++ : (uint32_t)i % BATCH_SEEN;
  b->seen[k] = type;
  b->seen_ti[k] = *ti;
  return 1;
}

/* Registers event type name[0..n) (reserved space). */
static void type_add(lg_lead *lead, const char *name, size_t n) {
  lg__evtype *t = &lead->types[lead->n_types++];
  t->ref = arena_put(lead, name, n) | (uint32_t)n << 24;
}

/* Room for the batch's added types: arena first, then the type table; a
 * block made here is given back if the next cannot be made. */
static lg_status batch_reserve_types(lg_lead *lead, const batch *b) {
  int         fresh_arena = lead->arena == NULL;
  lg__evtype *t;
  lg_status   st;
  if (b->n_added == 0) return LG_OK;
  st = arena_reserve(lead, b->bytes);
  if (st != LG_OK) return st;
  t = lg__table_reserve(lead->types, &lead->cap_types, lead->n_types + b->n_added, sizeof *t,
                        FIRST_TYPES);
  if (!t) {
    arena_undo_fresh(lead, fresh_arena);
    return LG_ERR_NOMEM;
  }
  lead->types = t;
  return LG_OK;
}

/* Sorts the staged events ev_at[base..base+n) into the sorted ev_at[0..base)
 * as n insertions would: each goes after every event at or before its time.
 * Events not earlier than the one before them stay where they are. */
static void insert_staged(lg_lead *lead, uint32_t base, uint32_t n) {
  lg_time  *ev = lead->ev_at;
  uint16_t *ty = lead->ev_type;
  lg_time   last = base ? ev[base - 1] : LG_TIME_MIN;
  uint32_t  j;
  for (j = base; j < base + n; j++) {
    lg_time  t = ev[j];
    uint16_t y;
    uint32_t pos;
    if (t >= last) {
      last = t;
      continue;
    }
    y = ty[j];
    pos = events_after(ev, j, t);
    memmove(ev + pos + 1, ev + pos, (j - pos) * sizeof *ev);
    memmove(ty + pos + 1, ty + pos, (j - pos) * sizeof *ty);
    ev[pos] = t;
    ty[pos] = y;
  }
}

/* Checks every event and stages it behind the lead's events (room made
 * first, so a failure to make it is reported only after the arguments are
 * checked), then makes room for the new types, and only then changes the
 * lead: the new types, then the staged events sorted in (nothing to do
 * when, as usual, each is at or after the one before, as seen on the way). */
lg_status lg_lead_add_events(lg_lead *lead, const char *const *types, const lg_time *at, size_t n) {
  batch     b;
  uint32_t  base, room, upto, i;
  int       fresh_events, staged, in_order = 1; /* no event earlier than the one before */
  lg_time   last;
  lg_status st = LG_OK;
  if (!lead) return LG_ERR_INVALID;
  if (n == 0) return LG_OK;
  if (!types || !at) return LG_ERR_INVALID;
  base = lead->n_events;
  room = LG_MAX_EVENTS - base;
  fresh_events = lead->ev_at == NULL;
  staged = n <= room && events_reserve(lead, base + (uint32_t)n) == LG_OK;
  upto = n <= room ? (uint32_t)n : room + 1; /* the call at `room` fails with LIMIT */
  last = base ? lead->ev_at[base - 1] : LG_TIME_MIN;
  batch_init(&b, lead, n);
  for (i = 0; i < upto; i++) {
    uint16_t ti;
    if (!batch_type(&b, types[i], &ti)) {
      st = LG_ERR_INVALID;
      break;
    }
    if (!time_ok(at[i])) {
      st = LG_ERR_RANGE;
      break;
    }
    if (i == room) {
      st = LG_ERR_LIMIT;
      break;
    }
    if (staged) {
      lead->ev_at[base + i] = at[i];
      lead->ev_type[base + i] = ti;
    }
    in_order &= at[i] >= last;
    last = at[i];
  }
  if (st == LG_OK && (!staged || b.nomem)) st = LG_ERR_NOMEM;
  if (st == LG_OK) st = batch_reserve_types(lead, &b);
  if (st != LG_OK) {
    if (staged && fresh_events) {
      lg__free(lead->ev_at);
      lead->ev_at = NULL;
      lead->ev_type = NULL;
      lead->cap_events = 0;
    }
    batch_free(&b);
    return st;
  }
  for (i = 0; i < b.n_added; i++) type_add(lead, b.added[i].name, b.added[i].len);
  batch_free(&b);
  if (!in_order) insert_staged(lead, base, (uint32_t)n);
  lead->n_events = base + (uint32_t)n;
  return LG_OK;
}

lg_status lg_lead_add_event(lg_lead *lead, const char *type, lg_time at) {
  return lg_lead_add_events(lead, &type, &at, 1);
}

size_t lg_lead_event_count(const lg_lead *lead) { return lead ? lead->n_events : 0; }

/* ---- follow-up timeline ------------------------------------------------- */

lg_status lg_lead_assign(lg_lead *lead, const char *owner, lg_time at) {
  size_t          n;
  lg_status       st;
  lg__assignment *a;
  char            buf[LG_MAX_ID_BYTES];
  if (!lead || !label_ok(owner, &n)) return LG_ERR_INVALID;
  if (!lg__time_valid(at)) return LG_ERR_RANGE;
  if (lead->n_asg > 0) {
    const lg__assignment *cur = &lead->asg[lead->n_asg - 1];
    if (at < cur->assigned_at) return LG_ERR_STATE;
    /* The same owner at the same instant: a repeated feed row, not a
     * reassignment. */
    if (at == cur->assigned_at && strlen(lg__lead_str(lead, cur->owner)) == n &&
        memcmp(lg__lead_str(lead, cur->owner), owner, n) == 0)
      return LG_OK;
  }
  if (lead->n_asg >= LG_MAX_ASSIGNMENTS) return LG_ERR_LIMIT;
  int fresh = lead->arena == NULL;
  owner = stack_copy(buf, owner, n); /* e.g. lg_lead_owner(lead) itself */
  st = arena_reserve(lead, n + 1);
  if (st != LG_OK) return st;
  a = lg__table_reserve(lead->asg, &lead->cap_asg, lead->n_asg + 1, sizeof *a, FIRST_ASG);
  if (!a) {
    arena_undo_fresh(lead, fresh);
    return LG_ERR_NOMEM;
  }
  lead->asg = a;
  a = &lead->asg[lead->n_asg++];
  a->assigned_at = at;
  a->touched_at = LG_TIME_NEVER;
  a->owner = arena_put(lead, owner, n);
  a->recorded = 0;
  a->snz = lead->n_snz; /* a new clock starts with no snooze */
  a->n_snz = 0;
  return LG_OK;
}
