/*
 * support.h - shared test helpers: an allocator that counts live blocks
 * and bytes and can be told to fail the Nth allocation from now on.
 */
#ifndef LG_TEST_SUPPORT_H
#define LG_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "leadgate.h"

/* Installs the counting allocator (resets counters, no failure planned). */
void   ts_alloc_install(void);
/* Restores the default allocator.  Call at the end of a test. */
void   ts_alloc_restore(void);
/* The next `n`-th allocation (1 = the very next one) fails, and so does
 * every later one when `sticky`; 0 disables failing. */
void   ts_alloc_fail_at(long n, int sticky);
/* Allocations attempted since install (successful or not). */
long   ts_alloc_calls(void);
/* Blocks and bytes currently live. */
long   ts_alloc_live_blocks(void);
size_t ts_alloc_live_bytes(void);
/* 1 if the planned failure has happened since ts_alloc_fail_at. */
int    ts_alloc_failed(void);

/* The rounds a randomized test runs: `full`, or a tenth of it (at least 1)
 * when the environment sets LG_TEST_QUICK (CI's valgrind pass, where a
 * round costs fifty times more; the plain and sanitizer builds run them
 * all). */
int ts_rounds(int full);

#endif
