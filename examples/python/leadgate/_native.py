"""The C boundary: finding and loading libleadgate, the ABI check, and the
ctypes mirrors of the header's structs and functions.

Nothing here is public; leadgate/__init__.py wraps it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int, c_int32, c_int64,
                    c_size_t, c_uint, c_uint32, c_uint64, c_void_p)
from typing import Any, Dict, List, Optional, Tuple

# The library version this binding was written for (LG_VERSION_MAJOR/MINOR).
VERSION_MAJOR = 0
VERSION_MINOR = 2

TIME_MIN = -62135596800          # LG_TIME_MIN, 0001-01-01T00:00:00Z
TIME_MAX = 253402300799          # LG_TIME_MAX, 9999-12-31T23:59:59Z
TIME_NEVER = 2 ** 63 - 1         # LG_TIME_NEVER
INT64_MIN = -2 ** 63
INT64_MAX = 2 ** 63 - 1
INT32_MIN = -2 ** 31
INT32_MAX = 2 ** 31 - 1


class Error(Structure):           # lg_error (frozen)
    _fields_ = [("status", c_int32), ("line", c_uint32), ("column", c_uint32),
                ("message", c_char * 160)]


class Score(Structure):           # lg_score (frozen)
    _fields_ = [("fit", c_int64), ("engagement", c_int64), ("total", c_int64),
                ("knocked_out", c_int32), ("knockout_index", c_int32),
                ("missing_count", c_uint32), ("reserved", c_uint32)]


class Contribution(Structure):    # lg_contribution
    _fields_ = [("criterion", c_char_p), ("attribute", c_char_p), ("kind", c_int32),
                ("missing", c_int32), ("points", c_int64), ("max_points", c_int64),
                ("reserved", c_int64 * 2)]


class Decision(Structure):        # lg_decision
    _fields_ = [("score", Score), ("verdict", c_int32), ("stage", c_int32),
                ("grade", c_char * 16), ("reason", c_char * 160),
                ("rubric_fingerprint", c_uint64), ("policy_fingerprint", c_uint64),
                ("next_at", c_int64), ("reserved", c_int64 * 3)]


class SlaStatus(Structure):       # lg_sla_status
    _fields_ = [("state", c_int32), ("action", c_int32), ("started_at", c_int64),
                ("due_at", c_int64), ("next_at", c_int64), ("elapsed", c_int64),
                ("remaining", c_int64), ("reassignments", c_int32), ("tier", c_int32),
                ("reserved2", c_int64 * 2)]


class Rep(Structure):             # lg_rep
    _fields_ = [("id", c_char_p), ("available", c_int32), ("open_leads", c_int32),
                ("capacity", c_int32), ("weight", c_int32), ("last_assigned_at", c_int64),
                ("reserved", c_int64 * 2)]


class RepStats(Structure):        # lg_rep_stats
    _fields_ = [("rep", c_char_p), ("assigned", c_uint32), ("touched", c_uint32),
                ("touched_in_sla", c_uint32), ("breached", c_uint32),
                ("open_overdue", c_uint32), ("reserved", c_uint32),
                ("median_response", c_int64), ("p90_response", c_int64),
                ("reserved2", c_int64 * 2)]


class Finding(Structure):         # lg_finding
    _fields_ = [("severity", c_int32), ("source", c_int32), ("line", c_uint32),
                ("reserved", c_uint32), ("code", c_char * 32), ("message", c_char * 160)]


class LearnOptions(Structure):    # lg_learn_options
    _fields_ = [("max_values", c_uint32), ("bins", c_uint32), ("min_count", c_uint32),
                ("reserved", c_uint32), ("scale", c_int64)]


# lg_struct_id values for the structs above: the ABI check compares
# lg_struct_size(id) with ctypes.sizeof.
STRUCT_IDS: List[Tuple[str, int, Any]] = [
    ("lg_error", 1, Error),
    ("lg_score", 3, Score),
    ("lg_contribution", 4, Contribution),
    ("lg_decision", 5, Decision),
    ("lg_sla_status", 6, SlaStatus),
    ("lg_rep", 7, Rep),
    ("lg_rep_stats", 8, RepStats),
    ("lg_finding", 9, Finding),
    ("lg_learn_options", 10, LearnOptions),
]

P = c_void_p
SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {
    "lg_version_string": (c_char_p, []),
    "lg_status_name": (c_char_p, [c_int]),
    "lg_status_message": (c_char_p, [c_int]),
    "lg_rubric_parse": (c_int, [c_char_p, c_size_t, POINTER(P), POINTER(Error)]),
    "lg_rubric_free": (None, [P]),
    "lg_rubric_to_text": (c_int, [P, c_char_p, c_size_t, POINTER(c_size_t)]),
    "lg_rubric_fingerprint": (c_uint64, [P]),
    "lg_rubric_name": (c_char_p, [P]),
    "lg_rubric_max_fit": (c_int64, [P]),
    "lg_rubric_input_count": (c_size_t, [P]),
    "lg_rubric_input_at": (c_int, [P, c_size_t, POINTER(c_char_p), POINTER(c_int),
                                   POINTER(c_int)]),
    "lg_policy_parse": (c_int, [c_char_p, c_size_t, POINTER(P), POINTER(Error)]),
    "lg_policy_free": (None, [P]),
    "lg_policy_to_text": (c_int, [P, c_char_p, c_size_t, POINTER(c_size_t)]),
    "lg_policy_fingerprint": (c_uint64, [P]),
    "lg_policy_name": (c_char_p, [P]),
    "lg_policy_calendar": (P, [P]),
    "lg_policy_input_count": (c_size_t, [P]),
    "lg_policy_input_at": (c_int, [P, c_size_t, POINTER(c_char_p), POINTER(c_int),
                                   POINTER(c_int)]),
    "lg_calendar_parse": (c_int, [c_char_p, c_size_t, POINTER(P), POINTER(Error)]),
    "lg_calendar_free": (None, [P]),
    "lg_calendar_to_text": (c_int, [P, c_char_p, c_size_t, POINTER(c_size_t)]),
    "lg_calendar_add": (c_int, [P, c_int64, c_int64, POINTER(c_int64)]),
    "lg_calendar_between": (c_int, [P, c_int64, c_int64, POINTER(c_int64)]),
    "lg_calendar_is_open": (c_int, [P, c_int64]),
    "lg_calendar_next_open": (c_int64, [P, c_int64]),
    "lg_lead_create": (c_int, [c_char_p, POINTER(P)]),
    "lg_lead_clone": (c_int, [P, POINTER(P)]),
    "lg_lead_free": (None, [P]),
    "lg_lead_id": (c_char_p, [P]),
    "lg_lead_set_text": (c_int, [P, c_char_p, c_char_p]),
    "lg_lead_set_int": (c_int, [P, c_char_p, c_int64]),
    "lg_lead_set_bool": (c_int, [P, c_char_p, c_int]),
    "lg_lead_unset": (c_int, [P, c_char_p]),
    "lg_lead_attr_type": (c_int, [P, c_char_p]),
    "lg_lead_get_text": (c_int, [P, c_char_p, POINTER(c_char_p)]),
    "lg_lead_get_int": (c_int, [P, c_char_p, POINTER(c_int64)]),
    "lg_lead_get_bool": (c_int, [P, c_char_p, POINTER(c_int)]),
    "lg_lead_attr_count": (c_size_t, [P]),
    "lg_lead_attr_at": (c_int, [P, c_size_t, POINTER(c_char_p), POINTER(c_int)]),
    "lg_lead_add_event": (c_int, [P, c_char_p, c_int64]),
    "lg_lead_event_count": (c_size_t, [P]),
    "lg_lead_event_at": (c_int, [P, c_size_t, POINTER(c_char_p), POINTER(c_int64)]),
    "lg_lead_set_stage": (c_int, [P, c_int, c_int64]),
    "lg_lead_stage": (c_int, [P]),
    "lg_lead_assign": (c_int, [P, c_char_p, c_int64]),
    "lg_lead_owner": (c_char_p, [P]),
    "lg_lead_assignment_count": (c_size_t, [P]),
    "lg_lead_assignment_at": (c_int, [P, c_size_t, POINTER(c_char_p), POINTER(c_int64),
                                      POINTER(c_int64)]),
    "lg_lead_touch": (c_int, [P, c_int64]),
    "lg_lead_record_action": (c_int, [P, c_int, c_int64]),
    "lg_lead_snooze": (c_int, [P, c_int64, c_int64]),
    "lg_score_lead": (c_int, [P, P, c_int64, POINTER(Score)]),
    "lg_score_many": (c_int, [P, POINTER(P), c_size_t, c_int64, POINTER(Score)]),
    "lg_explain": (c_int, [P, P, c_int64, POINTER(Contribution), c_size_t,
                           POINTER(c_size_t)]),
    "lg_next_question": (c_int, [P, P, POINTER(c_char_p), POINTER(c_int64)]),
    "lg_decide": (c_int, [P, P, P, c_int64, POINTER(Decision)]),
    "lg_sla_eval": (c_int, [P, P, c_int64, POINTER(SlaStatus)]),
    "lg_route": (c_int, [P, P, POINTER(Rep), c_size_t, c_int64, POINTER(c_size_t)]),
    "lg_stats_create": (c_int, [P, POINTER(P)]),
    "lg_stats_free": (None, [P]),
    "lg_stats_add": (c_int, [P, P, c_int64]),
    "lg_stats_rep_count": (c_size_t, [P]),
    "lg_stats_rep": (c_int, [P, c_size_t, POINTER(RepStats)]),
    "lg_stats_correlation": (c_int, [P, POINTER(c_char_p), POINTER(c_double), c_size_t,
                                     POINTER(c_double)]),
    "lg_calibrate": (c_int, [P, POINTER(P), c_size_t, c_int64, c_int, c_size_t,
                             POINTER(c_int64), POINTER(c_size_t)]),
    "lg_learn_rubric": (c_int, [POINTER(P), POINTER(c_int32), c_size_t, POINTER(c_char_p),
                                c_size_t, c_char_p, POINTER(LearnOptions), c_char_p, c_size_t,
                                POINTER(c_size_t)]),
    "lg_name_check": (c_int, [c_char_p, POINTER(Error)]),
    "lg_lint": (c_int, [P, P, POINTER(Finding), c_size_t, POINTER(c_size_t)]),
    "lg_severity_name": (c_char_p, [c_int]),
    "lg_verdict_name": (c_char_p, [c_int]),
    "lg_stage_name": (c_char_p, [c_int]),
    "lg_action_name": (c_char_p, [c_int]),
    "lg_sla_state_name": (c_char_p, [c_int]),
    "lg_kind_name": (c_char_p, [c_int]),
    "lg_stage_from_name": (c_int, [c_char_p, POINTER(c_int)]),
    "lg_action_from_name": (c_int, [c_char_p, POINTER(c_int)]),
}


class LibraryError(ImportError):
    """libleadgate could not be found, or is not the library this binding
    was written for."""


def candidates() -> List[str]:
    """Where the library is looked for, in order: $LEADGATE_LIBRARY (a path),
    next to this package (a copy shipped inside it), then the system's
    loader path."""
    env = os.environ.get("LEADGATE_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    found = sorted(glob.glob(os.path.join(here, "libleadgate.so*")), key=len)
    found += [os.path.join(here, n) for n in ("libleadgate.dylib", "leadgate.dll")
              if os.path.exists(os.path.join(here, n))]
    system = ctypes.util.find_library("leadgate")
    found.append(system or "libleadgate.so.%d.%d" % (VERSION_MAJOR, VERSION_MINOR))
    return found


def check_abi(lib: Any, path: str) -> None:
    """Refuses a library whose version or struct sizes differ from ours."""
    try:
        lib.lg_version_number.restype = c_uint
        lib.lg_version_number.argtypes = []
        lib.lg_struct_size.restype = c_size_t
        lib.lg_struct_size.argtypes = [c_int]
    except AttributeError as e:
        raise LibraryError("%s is not libleadgate %d.%d or later (%s)"
                           % (path, VERSION_MAJOR, VERSION_MINOR, e)) from None
    number = int(lib.lg_version_number())
    major, minor = number // 10000, number // 100 % 100
    newer_ok = VERSION_MAJOR > 0   # 0.x: every minor release may change the ABI
    if major != VERSION_MAJOR or minor < VERSION_MINOR or (minor != VERSION_MINOR
                                                           and not newer_ok):
        raise LibraryError("%s is libleadgate %d.%d.%d; this binding needs %d.%d"
                           % (path, major, minor, number % 100, VERSION_MAJOR,
                              VERSION_MINOR))
    wrong = []
    for name, sid, cls in STRUCT_IDS:
        theirs = int(lib.lg_struct_size(sid))
        if theirs != ctypes.sizeof(cls):
            wrong.append("%s is %d bytes in the library, %d in the binding"
                         % (name, theirs, ctypes.sizeof(cls)))
    if wrong:
        raise LibraryError("%s does not match this binding: %s" % (path, "; ".join(wrong)))


def load() -> Tuple[Any, str]:
    errors = []
    for path in candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
            continue
        check_abi(lib, path)
        for name, (restype, argtypes) in SIGNATURES.items():
            try:
                fn = getattr(lib, name)
            except AttributeError:
                raise LibraryError("%s lacks %s(): not a complete libleadgate %d.%d"
                                   % (path, name, VERSION_MAJOR, VERSION_MINOR)) from None
            fn.restype = restype
            fn.argtypes = argtypes
        return lib, path
    raise LibraryError("cannot load libleadgate (set LEADGATE_LIBRARY to its path): "
                       + "; ".join(errors))
