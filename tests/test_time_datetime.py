#!/usr/bin/env python3
"""lg_time_format and lg_time_parse against Python's datetime, an
independent implementation of the proleptic Gregorian calendar, on random
instants over the whole range (years 1 to 9999) and on every offset form.

Usage: test_time_datetime.py LIBRARY [SEED]   (prints the seed it uses)
"""
import ctypes
import datetime as dt
import random
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.lg_time_format.argtypes = [ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t,
                               ctypes.POINTER(ctypes.c_size_t)]
lib.lg_time_format.restype = ctypes.c_int
lib.lg_time_parse.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int64)]
lib.lg_time_parse.restype = ctypes.c_int

seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261201
print(f"seed {seed}")
rng = random.Random(seed)
UTC = dt.timezone.utc
LO, HI = -62135596800, 253402300799
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
failures = 0
N = 20000


def fmt(t):
    buf = ctypes.create_string_buffer(21)
    assert lib.lg_time_format(t, buf, 21, None) == 0
    return buf.value.decode()


def parse(s):
    out = ctypes.c_int64(0)
    b = s.encode()
    st = lib.lg_time_parse(b, len(b), ctypes.byref(out))
    return st, out.value


for i in range(N):
    t = rng.randint(LO, HI) if i % 4 else rng.choice([LO, HI, 0, -1, 1]) + rng.randint(0, 86400)
    t = min(max(t, LO), HI)
    want = (EPOCH + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if len(want) < 20:  # strftime may not pad years below 1000
        want = want.zfill(20)
    got = fmt(t)
    if got != want:
        failures += 1
        print(f"format {t}: {got} != {want}")
    # parse back, also with a random offset and a fraction
    minutes = rng.randint(-23 * 60 - 59, 23 * 60 + 59)
    tz = dt.timezone(dt.timedelta(minutes=minutes))
    d = EPOCH + dt.timedelta(seconds=t)
    try:
        local = d.astimezone(tz)
    except OverflowError:
        continue
    sign = "+" if minutes >= 0 else "-"
    text = local.strftime("%Y-%m-%dT%H:%M:%S").zfill(19) + \
        f".{rng.randint(0, 999):03d}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    st, back = parse(text)
    if st != 0 or back != t:
        failures += 1
        print(f"parse {text}: status {st}, {back} != {t}")

print(f"{N} instants: {N - failures} passed, {failures} failed" if failures else
      f"{N} passed, 0 failed")
sys.exit(1 if failures else 0)
