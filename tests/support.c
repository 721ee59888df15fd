/*
 * support.c - the counting, failing allocator behind tests/support.h.
 * Every block carries a small header with its size so live bytes can be
 * counted exactly.
 */
#include "support.h"
#include "internal.h" /* lg__alloc_reset */

#include <stdlib.h>
#include <string.h>

typedef union header {
  size_t      size;
  long double align_ld;
  long long   align_ll;
  void       *align_p;
} header;

static long   calls;
static long   fail_at;
static int    fail_sticky;
static int    failed;
static long   live_blocks;
static size_t live_bytes;

static int should_fail(void) {
  calls++;
  if (fail_at > 0 && (calls >= fail_at) && (fail_sticky || calls == fail_at)) {
    failed = 1;
    return 1;
  }
  return 0;
}

static void *ts_malloc(void *ud, size_t size) {
  header *h;
  (void)ud;
  if (should_fail()) return NULL;
  h = malloc(sizeof(header) + size);
  if (!h) return NULL;
  h->size = size;
  live_blocks++;
  live_bytes += size;
  return h + 1;
}

static void ts_free(void *ud, void *ptr) {
  header *h;
  (void)ud;
  if (!ptr) return;
  h = (header *)ptr - 1;
  live_blocks--;
  live_bytes -= h->size;
  free(h);
}

static void *ts_realloc(void *ud, void *ptr, size_t size) {
  header *h, *n;
  size_t  old;
  (void)ud;
  if (!ptr) return ts_malloc(ud, size);
  if (should_fail()) return NULL;
  h = (header *)ptr - 1;
  old = h->size;
  n = realloc(h, sizeof(header) + size);
  if (!n) return NULL;
  n->size = size;
  live_bytes = live_bytes - old + size;
  return n + 1;
}

void ts_alloc_install(void) {
  lg_allocator a;
  memset(&a, 0, sizeof a);
  a.malloc_fn = ts_malloc;
  a.realloc_fn = ts_realloc;
  a.free_fn = ts_free;
  a.ud = NULL;
  calls = 0;
  fail_at = 0;
  fail_sticky = 0;
  failed = 0;
  live_blocks = 0;
  live_bytes = 0;
  lg__alloc_reset(); /* tests swap allocators between cases */
  lg_set_allocator(&a);
}

void ts_alloc_restore(void) {
  lg__alloc_reset();
  lg_set_allocator(NULL);
}

void ts_alloc_fail_at(long n, int sticky) {
  fail_at = n > 0 ? calls + n : 0;
  fail_sticky = sticky;
  failed = 0;
}

long   ts_alloc_calls(void) { return calls; }
long   ts_alloc_live_blocks(void) { return live_blocks; }
size_t ts_alloc_live_bytes(void) { return live_bytes; }
int    ts_alloc_failed(void) { return failed; }

int ts_rounds(int full) {
  const char *quick = getenv("LG_TEST_QUICK");
  if (!quick || !*quick || strcmp(quick, "0") == 0) return full;
  return full / 10 > 0 ? full / 10 : 1;
}
