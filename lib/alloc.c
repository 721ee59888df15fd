/*
 * alloc.c - the one place the library allocates.  The allocator is the
 * library's only global: set once by the host before any object exists.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static void *default_malloc(void *ud, size_t size) {
  (void)ud;
  return malloc(size);
}
static void *default_realloc(void *ud, void *ptr, size_t size) {
  (void)ud;
  return realloc(ptr, size);
}
static void default_free(void *ud, void *ptr) {
  (void)ud;
  free(ptr);
}

static lg_allocator current = {
  default_malloc, default_realloc, default_free, NULL, { NULL, NULL }
};

/* Set by the first allocation: from then on objects exist (or existed)
 * that the allocator in force must free, so it may no longer change.  The
 * flag is written only while it is 0, i.e. by the first allocations, which
 * the header asks to happen after lg_set_allocator on one thread. */
static int allocated;

lg_status lg_set_allocator(const lg_allocator *a) {
  static const lg_allocator defaults = {
    default_malloc, default_realloc, default_free, NULL, { NULL, NULL }
  };
  if (a && (!a->malloc_fn || !a->realloc_fn || !a->free_fn || a->reserved[0] || a->reserved[1]))
    return LG_ERR_INVALID;
  if (allocated) return LG_ERR_STATE;
  current = a ? *a : defaults;
  return LG_OK;
}

void lg__alloc_reset(void) { allocated = 0; }

void *lg__malloc(size_t size) {
  if (size == 0) return NULL;
  if (LG__UNLIKELY(!allocated)) allocated = 1;
  return current.malloc_fn(current.ud, size);
}

void *lg__calloc(size_t n, size_t size) {
  void *p;
  if (n == 0 || size == 0 || n > SIZE_MAX / size) return NULL;
  p = lg__malloc(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}

void *lg__realloc(void *ptr, size_t size) {
  if (size == 0) return NULL;
  if (!ptr) return lg__malloc(size);
  return current.realloc_fn(current.ud, ptr, size);
}

void lg__free(void *ptr) {
  if (ptr) current.free_fn(current.ud, ptr);
}

char *lg__strndup(const char *s, size_t n) {
  char *p;
  if (n == SIZE_MAX) return NULL;
  p = lg__malloc(n + 1);
  if (!p) return NULL;
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void *lg__grow(void *ptr, uint32_t *cap, uint32_t need, size_t elem) {
  uint32_t ncap;
  void    *p;
  if (need <= *cap) return ptr;
  ncap = *cap ? *cap : 4;
  while (ncap < need) {
    if (ncap > UINT32_MAX / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  if ((size_t)ncap > SIZE_MAX / elem) return NULL;
  p = lg__realloc(ptr, (size_t)ncap * elem);
  if (!p) return NULL;
  *cap = ncap;
  return p;
}
