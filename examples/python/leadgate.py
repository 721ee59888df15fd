"""leadgate.py - a small ctypes binding to libleadgate (Python standard
library only).

    import leadgate
    rubric = leadgate.Rubric(open("examples/rubrics/b2b.rubric").read())
    policy = leadgate.Policy(open("examples/policies/inbound.policy").read())
    lead = leadgate.Lead("lead-42")
    lead.set("role", "Economic Buyer")
    lead.set("timeframe_months", 2)
    lead.add_event("demo_requested", now - 7 * 86400)
    d = leadgate.decide(rubric, policy, lead, now)   # d.verdict == "mql", d.total ...
    lead.assign("rep-ana", now)
    s = leadgate.sla_eval(policy, lead, now)         # s.state, s.action, s.next_at

The library is found through the environment variable LEADGATE_LIB (a path
to libleadgate.so), else next to a build in the source tree
(build/libleadgate.so), else on the system library path.

Points are milli-points (int) as in C: 8000 is 8 points.  Times are epoch
seconds (int) or timezone-aware datetime objects.  Every failing call raises
LeadgateError, which carries the status name (e.g. "LG_ERR_SYNTAX"), the
numeric status, and for parse errors the line, column and message.

The ctypes structures below mirror the structs of include/leadgate.h field
for field; keep them in step with the header.
"""

import ctypes
import ctypes.util
import datetime
import os

from ctypes import (POINTER, Structure, byref, c_char, c_char_p, c_int, c_int32,
                    c_int64, c_size_t, c_uint, c_uint32, c_uint64, c_void_p)

__all__ = ["LeadgateError", "Rubric", "Policy", "Lead", "decide", "score", "explain",
           "next_question", "sla_eval", "version", "VERDICTS", "SLA_STATES", "ACTIONS",
           "STAGES", "TIME_MIN", "TIME_MAX", "TIME_NEVER"]

TIME_MIN = -62135596800          # LG_TIME_MIN, 0001-01-01T00:00:00Z
TIME_MAX = 253402300799          # LG_TIME_MAX, 9999-12-31T23:59:59Z
TIME_NEVER = 2 ** 63 - 1         # LG_TIME_NEVER

VERDICTS = ("nurture", "mql", "disqualify")                                  # lg_verdict
SLA_STATES = ("none", "running", "warning", "breached", "met", "met_late")   # lg_sla_state
ACTIONS = ("none", "warn", "remind", "escalate", "reassign", "recycle")      # lg_action
STAGES = ("new", "nurture", "mql", "sal", "sql", "opportunity", "won", "lost",
          "disqualified")                                                    # lg_stage
KINDS = ("fit", "engagement", "knockout")                                    # lg_kind

# lg_status values used by the binding itself
LG_OK = 0
LG_ERR_NOT_FOUND = 4
LG_ERR_BUFFER = 9


# ---- structures, exactly as in leadgate.h ----------------------------------

class _Error(Structure):          # lg_error
    _fields_ = [("status", c_int32), ("line", c_uint32), ("column", c_uint32),
                ("message", c_char * 160)]


class _Score(Structure):          # lg_score
    _fields_ = [("fit", c_int64), ("engagement", c_int64), ("total", c_int64),
                ("knocked_out", c_int32), ("knockout_index", c_int32),
                ("missing_count", c_uint32), ("reserved", c_uint32)]


class _Contribution(Structure):   # lg_contribution
    _fields_ = [("criterion", c_char_p), ("attribute", c_char_p), ("kind", c_int32),
                ("missing", c_int32), ("points", c_int64), ("max_points", c_int64),
                ("reserved", c_int64 * 2)]


class _Decision(Structure):       # lg_decision
    _fields_ = [("score", _Score), ("verdict", c_int32), ("stage", c_int32),
                ("grade", c_char * 16), ("reason", c_char * 160),
                ("rubric_fingerprint", c_uint64), ("policy_fingerprint", c_uint64),
                ("next_at", c_int64), ("reserved", c_int64 * 3)]


class _SlaStatus(Structure):      # lg_sla_status
    _fields_ = [("state", c_int32), ("action", c_int32), ("started_at", c_int64),
                ("due_at", c_int64), ("next_at", c_int64), ("elapsed", c_int64),
                ("remaining", c_int64), ("reassignments", c_int32), ("tier", c_int32),
                ("reserved2", c_int64 * 2)]


# ---- loading the library ---------------------------------------------------

def _candidates():
    env = os.environ.get("LEADGATE_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    names = ["libleadgate.so", "libleadgate.so.0.2", "libleadgate.dylib", "leadgate.dll"]
    found = [os.path.join(root, "build", n) for n in names]
    system = ctypes.util.find_library("leadgate")
    if system:
        found.append(system)
    return found


def _declare(lib):
    sigs = {
        "lg_version_string": (c_char_p, []),
        "lg_status_name": (c_char_p, [c_int]),
        "lg_status_message": (c_char_p, [c_int]),
        "lg_rubric_parse": (c_int, [c_char_p, c_size_t, POINTER(c_void_p), POINTER(_Error)]),
        "lg_rubric_free": (None, [c_void_p]),
        "lg_rubric_to_text": (c_int, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
        "lg_rubric_fingerprint": (c_uint64, [c_void_p]),
        "lg_rubric_name": (c_char_p, [c_void_p]),
        "lg_rubric_max_fit": (c_int64, [c_void_p]),
        "lg_policy_parse": (c_int, [c_char_p, c_size_t, POINTER(c_void_p), POINTER(_Error)]),
        "lg_policy_free": (None, [c_void_p]),
        "lg_policy_to_text": (c_int, [c_void_p, c_char_p, c_size_t, POINTER(c_size_t)]),
        "lg_policy_fingerprint": (c_uint64, [c_void_p]),
        "lg_lead_create": (c_int, [c_char_p, POINTER(c_void_p)]),
        "lg_lead_free": (None, [c_void_p]),
        "lg_lead_id": (c_char_p, [c_void_p]),
        "lg_lead_set_text": (c_int, [c_void_p, c_char_p, c_char_p]),
        "lg_lead_set_int": (c_int, [c_void_p, c_char_p, c_int64]),
        "lg_lead_set_bool": (c_int, [c_void_p, c_char_p, c_int]),
        "lg_lead_unset": (c_int, [c_void_p, c_char_p]),
        "lg_lead_add_event": (c_int, [c_void_p, c_char_p, c_int64]),
        "lg_lead_event_count": (c_size_t, [c_void_p]),
        "lg_lead_set_stage": (c_int, [c_void_p, c_int, c_int64]),
        "lg_lead_stage": (c_int, [c_void_p]),
        "lg_lead_assign": (c_int, [c_void_p, c_char_p, c_int64]),
        "lg_lead_owner": (c_char_p, [c_void_p]),
        "lg_lead_assignment_count": (c_size_t, [c_void_p]),
        "lg_lead_touch": (c_int, [c_void_p, c_int64]),
        "lg_lead_record_action": (c_int, [c_void_p, c_int, c_int64]),
        "lg_score_lead": (c_int, [c_void_p, c_void_p, c_int64, POINTER(_Score)]),
        "lg_explain": (c_int, [c_void_p, c_void_p, c_int64, POINTER(_Contribution), c_size_t,
                               POINTER(c_size_t)]),
        "lg_next_question": (c_int, [c_void_p, c_void_p, POINTER(c_char_p), POINTER(c_int64)]),
        "lg_decide": (c_int, [c_void_p, c_void_p, c_void_p, c_int64, POINTER(_Decision)]),
        "lg_sla_eval": (c_int, [c_void_p, c_void_p, c_int64, POINTER(_SlaStatus)]),
    }
    for name, (restype, argtypes) in sigs.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    lib.lg_version_number.restype = c_uint
    lib.lg_version_number.argtypes = []
    return lib


_lib = None


def _load():
    global _lib
    if _lib is None:
        errors = []
        for path in _candidates():
            try:
                _lib = _declare(ctypes.CDLL(path))
                break
            except OSError as e:
                errors.append("%s: %s" % (path, e))
        else:
            raise OSError("cannot load libleadgate (set LEADGATE_LIB to its path); tried: "
                          + "; ".join(errors))
    return _lib


def version():
    """The version of the loaded library, e.g. "0.1.0"."""
    return _load().lg_version_string().decode()


# ---- errors ----------------------------------------------------------------

class LeadgateError(Exception):
    """A failed leadgate call.  status_name is the lg_status enumerator's name
    ("LG_ERR_SYNTAX"), status its value; line and column (1-based, 0 when
    not about a position) and message come from lg_error for parse errors."""

    def __init__(self, status, message=None, line=0, column=0, what=None):
        lib = _load()
        self.status = status
        self.status_name = lib.lg_status_name(status).decode()
        self.message = message or lib.lg_status_message(status).decode()
        self.line = line
        self.column = column
        self.what = what
        where = " at %d:%d" % (line, column) if line else ""
        prefix = "%s: " % what if what else ""
        super().__init__("%s%s%s: %s" % (prefix, self.status_name, where, self.message))


def _check(status, what):
    if status != LG_OK:
        raise LeadgateError(status, what=what)


def _bytes(s):
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        raise TypeError("expected str, got %s" % type(s).__name__)
    return s.encode("utf-8")


def _time(t):
    """Epoch seconds from an int or an aware datetime."""
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            raise ValueError("naive datetime: give a timezone (e.g. datetime.timezone.utc)")
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (t - epoch) // datetime.timedelta(seconds=1)
    if isinstance(t, bool) or not isinstance(t, int):
        raise TypeError("a time is epoch seconds (int) or an aware datetime")
    return t


# ---- objects -----------------------------------------------------------------

class _Handle:
    _free = None

    def __init__(self):
        self._ptr = c_void_p()

    def close(self):
        """Frees the C object now (also done when garbage-collected)."""
        if self._ptr:
            getattr(_load(), self._free)(self._ptr)
            self._ptr = c_void_p()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    @property
    def _p(self):
        if not self._ptr:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._ptr


def _parse(fn, text, what):
    data = _bytes(text)
    out = c_void_p()
    err = _Error()
    status = fn(data, len(data), byref(out), byref(err))
    if status != LG_OK:
        raise LeadgateError(status, err.message.decode("utf-8", "replace") or None,
                            err.line, err.column, what)
    return out


def _to_text(fn, ptr):
    needed = c_size_t()
    fn(ptr, None, 0, byref(needed))
    buf = ctypes.create_string_buffer(needed.value)
    _check(fn(ptr, buf, needed.value, byref(needed)), "to_text")
    return buf.value.decode()


class Rubric(_Handle):
    """A parsed scoring model (lg_rubric).  Raises LeadgateError with line and
    column when the text does not parse."""
    _free = "lg_rubric_free"

    def __init__(self, text):
        super().__init__()
        self._ptr = _parse(_load().lg_rubric_parse, text, "rubric")

    @property
    def name(self):
        return _load().lg_rubric_name(self._p).decode()

    @property
    def fingerprint(self):
        return _load().lg_rubric_fingerprint(self._p)

    @property
    def max_fit(self):
        return _load().lg_rubric_max_fit(self._p)

    def to_text(self):
        return _to_text(_load().lg_rubric_to_text, self._p)


class Policy(_Handle):
    """A parsed policy (lg_policy): qualification, grades, calendar, SLA."""
    _free = "lg_policy_free"

    def __init__(self, text):
        super().__init__()
        self._ptr = _parse(_load().lg_policy_parse, text, "policy")

    @property
    def fingerprint(self):
        return _load().lg_policy_fingerprint(self._p)

    def to_text(self):
        return _to_text(_load().lg_policy_to_text, self._p)


class Lead(_Handle):
    """A lead (lg_lead): attributes, events, stage and follow-up timeline."""
    _free = "lg_lead_free"

    def __init__(self, lead_id):
        super().__init__()
        _check(_load().lg_lead_create(_bytes(lead_id), byref(self._ptr)), "lead")

    @property
    def id(self):
        return _load().lg_lead_id(self._p).decode()

    def set(self, name, value):
        """Sets attribute `name` to a bool, an int or a str; None unsets it."""
        lib, n = _load(), _bytes(name)
        if value is None:
            status = lib.lg_lead_unset(self._p, n)
            if status == LG_ERR_NOT_FOUND:   # unsetting an absent attribute is fine here
                return
        elif isinstance(value, bool):
            status = lib.lg_lead_set_bool(self._p, n, 1 if value else 0)
        elif isinstance(value, int):
            status = lib.lg_lead_set_int(self._p, n, value)
        else:
            status = lib.lg_lead_set_text(self._p, n, _bytes(value))
        _check(status, "set %s" % name)

    def unset(self, name):
        """Removes an attribute; LeadgateError (LG_ERR_NOT_FOUND) when absent."""
        _check(_load().lg_lead_unset(self._p, _bytes(name)), "unset %s" % name)

    def add_event(self, event_type, at):
        _check(_load().lg_lead_add_event(self._p, _bytes(event_type), _time(at)), "add_event")

    @property
    def event_count(self):
        return _load().lg_lead_event_count(self._p)

    @property
    def stage(self):
        return STAGES[_load().lg_lead_stage(self._p)]

    def set_stage(self, stage, at):
        _check(_load().lg_lead_set_stage(self._p, STAGES.index(stage), _time(at)), "set_stage")

    def assign(self, owner, at):
        _check(_load().lg_lead_assign(self._p, _bytes(owner), _time(at)), "assign")

    @property
    def owner(self):
        o = _load().lg_lead_owner(self._p)
        return o.decode() if o is not None else None

    @property
    def assignment_count(self):
        return _load().lg_lead_assignment_count(self._p)

    def touch(self, at):
        _check(_load().lg_lead_touch(self._p, _time(at)), "touch")

    def record_action(self, action, at):
        """Records that the host carried out an SLA action ("escalate", ...)."""
        _check(_load().lg_lead_record_action(self._p, ACTIONS.index(action), _time(at)),
               "record_action")


# ---- results -------------------------------------------------------------------

class _Record:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        inner = ", ".join("%s=%r" % kv for kv in sorted(self.__dict__.items()))
        return "%s(%s)" % (type(self).__name__, inner)

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__


class Score(_Record):
    """fit, engagement, total (milli-points), knocked_out (bool),
    knockout_index (-1 if none), missing_count."""


class Decision(_Record):
    """Score fields plus verdict ("nurture"|"mql"|"disqualify"), stage,
    grade, reason, rubric_fingerprint, policy_fingerprint."""


class Contribution(_Record):
    """criterion, attribute, kind ("fit"|"engagement"|"knockout"), missing
    (bool), points, max_points."""


class SlaStatus(_Record):
    """state, action (names), started_at, due_at, next_at (epoch seconds;
    TIME_NEVER for never), elapsed, remaining (seconds), reassignments."""


def _score_fields(s):
    return dict(fit=s.fit, engagement=s.engagement, total=s.total,
                knocked_out=bool(s.knocked_out), knockout_index=s.knockout_index,
                missing_count=s.missing_count)


def score(rubric, lead, now):
    out = _Score()
    _check(_load().lg_score_lead(rubric._p, lead._p, _time(now), byref(out)), "score")
    return Score(**_score_fields(out))


def decide(rubric, policy, lead, now):
    """lg_decide: the verdict, grade and reason as of `now`."""
    d = _Decision()
    _check(_load().lg_decide(rubric._p, policy._p, lead._p, _time(now), byref(d)), "decide")
    return Decision(verdict=VERDICTS[d.verdict], stage=STAGES[d.stage],
                    grade=d.grade.decode(), reason=d.reason.decode(),
                    rubric_fingerprint=d.rubric_fingerprint,
                    policy_fingerprint=d.policy_fingerprint, **_score_fields(d.score))


def explain(rubric, lead, now):
    """lg_explain: one Contribution per criterion, rubric order."""
    lib, count = _load(), c_size_t()
    status = lib.lg_explain(rubric._p, lead._p, _time(now), None, 0, byref(count))
    if status not in (LG_OK, LG_ERR_BUFFER):   # LG_ERR_BUFFER still gives the count
        _check(status, "explain")
    items = (_Contribution * max(1, count.value))()
    _check(lib.lg_explain(rubric._p, lead._p, _time(now), items, count.value, byref(count)),
           "explain")
    return [Contribution(criterion=c.criterion.decode(), attribute=c.attribute.decode(),
                         kind=KINDS[c.kind], missing=bool(c.missing), points=c.points,
                         max_points=c.max_points)
            for c in items[:count.value]]


def next_question(rubric, lead):
    """(attribute, gain) for the missing fit attribute worth the most, or None."""
    attr, gain = c_char_p(), c_int64()
    status = _load().lg_next_question(rubric._p, lead._p, byref(attr), byref(gain))
    if status == LG_ERR_NOT_FOUND:   # nothing is missing
        return None
    _check(status, "next_question")
    return attr.value.decode(), gain.value


def sla_eval(policy, lead, now):
    """lg_sla_eval: the follow-up SLA of the current assignment as of `now`."""
    s = _SlaStatus()
    _check(_load().lg_sla_eval(policy._p, lead._p, _time(now), byref(s)), "sla_eval")
    return SlaStatus(state=SLA_STATES[s.state], action=ACTIONS[s.action],
                     started_at=s.started_at, due_at=s.due_at, next_at=s.next_at,
                     elapsed=s.elapsed, remaining=s.remaining,
                     reassignments=s.reassignments)
