/*
 * strmap.c - the string -> values hash map of the installed programs (see
 * strmap.h).
 */
#include "strmap.h"

#include <stdlib.h>

void strmap_free(strmap *m) {
  free(m->arena);
  free(m->off);
  free(m->slots);
  memset(m, 0, sizeof *m);
}

static void strmap_place(uint64_t *slots, uint32_t n_slots, uint64_t slot) {
  uint32_t j = (uint32_t)(slot >> 32) & (n_slots - 1);
  while (slots[j]) j = (j + 1) & (n_slots - 1);
  slots[j] = slot;
}

static int strmap_rehash(strmap *m) {
  uint32_t  n_slots = m->n_slots ? m->n_slots * 2 : 64, i;
  uint64_t *slots;
  if (n_slots < m->n_slots) return -1;
  slots = calloc(n_slots, sizeof *slots);
  if (!slots) return -1;
  for (i = 0; i < m->n_slots; i++)
    if (m->slots[i]) strmap_place(slots, n_slots, m->slots[i]);
  free(m->slots);
  m->slots = slots;
  m->n_slots = n_slots;
  return 0;
}

int strmap_add(strmap *m, const char *s, size_t len, uint32_t h, uint32_t *index) {
  size_t need = (ENTRY_HEAD + len + 1 + 7) & ~(size_t)7;
  char  *e;
  if (m->n == m->cap) {
    uint32_t  cap = m->cap ? m->cap * 2 : 64;
    uint32_t *off;
    if (cap < m->cap || cap == NO_INDEX) return -1;
    if (!(off = realloc(m->off, cap * sizeof *off))) return -1;
    m->off = off;
    m->cap = cap;
  }
  if (m->arena_cap - m->arena_len < need) {
    size_t cap = m->arena_cap ? m->arena_cap : 4096;
    char  *a;
    while (cap - m->arena_len < need) cap *= 2;
    if (cap > UINT32_MAX || !(a = realloc(m->arena, cap))) return -1;
    m->arena = a;
    m->arena_cap = cap;
  }
  if ((m->n + 1) * 2 > m->n_slots && strmap_rehash(m) != 0) return -1;
  e = m->arena + m->arena_len;
  entry_set(e, 0, m->n);
  entry_set(e, 1, 0);
  memcpy(e + ENTRY_HEAD, s, len);
  memset(e + ENTRY_HEAD + len, 0, need - (ENTRY_HEAD + len)); /* its NUL and the padding */
  m->off[m->n] = (uint32_t)m->arena_len;
  strmap_place(m->slots, m->n_slots, (uint64_t)h << 32 | (uint64_t)(m->arena_len / 8 + 1));
  m->arena_len += need;
  *index = m->n++;
  return 0;
}
