"""leadgate: lead scoring, MQL qualification and follow-up SLAs.

A binding to the C library libleadgate (through ctypes; standard library
only).  Every answer is the C library's own, bit for bit.

    from datetime import datetime, timedelta, timezone
    import leadgate

    now = datetime(2026, 11, 23, 10, tzinfo=timezone.utc)
    with leadgate.Rubric(open("b2b.rubric").read()) as rubric, \\
         leadgate.Policy(open("inbound.policy").read()) as policy, \\
         leadgate.Lead("L-42", {"need": "high", "employees": 250},
                       [("demo_requested", now - timedelta(days=7))]) as lead:
        d = leadgate.decide(rubric, policy, lead, now)
        print(d.verdict, d.grade, d.score.total, d.reason)

Conventions:

- Points are ``decimal.Decimal`` with three decimals (the library's
  milli-points): ``Decimal("30.403")``.
- Times are timezone-aware ``datetime`` objects (a naive one is a
  ValueError; sub-second parts are dropped, rounding down) or ints of epoch
  seconds.  Results are aware datetimes in UTC, or None for "never".
  Durations are ``timedelta`` or int seconds, in whole seconds.
- Enumerations are the library's lower-case names: verdicts "nurture",
  "mql", "disqualify"; stages "new" ... "disqualified"; actions "none",
  "warn", ...; SLA states "none", "running", ...; kinds "fit", ...
- Wrong types raise TypeError, bad values (None, NaN, naive datetimes,
  strings that are not valid Unicode or hold NUL, ints outside int64)
  ValueError, before anything reaches C.  A failed library call raises a
  LeadgateError subclass named after its status.
- Rubric, Policy, Calendar, Lead and Stats free their C object on
  ``close()``, at the end of a ``with`` block, or when collected; using a
  closed object is a ValueError.  Leads and Stats are not thread-safe;
  rubrics, policies and calendars may be shared by threads.

The shared library is found, in order, at $LEADGATE_LIBRARY, next to this
package (a copy placed in the package directory before installing), and
on the system's loader path (``ctypes.util.find_library``).  It must be
the 0.2 series, with struct sizes equal to this binding's: anything else
is refused at import with a LibraryError (an ImportError) saying why.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import decimal
import math
import struct
from ctypes import byref, c_char_p, c_double, c_int, c_int64, c_size_t, c_void_p
from dataclasses import dataclass
from decimal import Decimal
from collections.abc import Iterable, Mapping
from typing import Any, List, Optional, Sequence, Tuple, Union

from . import _native
from ._native import LibraryError

__all__ = [
    "Rubric", "Policy", "Calendar", "Lead", "Stats", "Rep",
    "Score", "Decision", "Contribution", "Question", "SlaStatus", "RepStats",
    "Assignment", "Input", "Calibration", "Finding",
    "score", "score_many", "decide", "explain", "next_question", "sla", "route",
    "calibrate", "learn_rubric", "lint", "version",
    "LeadgateError", "OutOfMemoryError", "InvalidError", "ParseError", "NotFoundError",
    "RangeError", "LimitError", "TypeMismatchError", "StateError", "BufferTooSmallError",
    "LibraryError",
    "VERDICTS", "STAGES", "ACTIONS", "SLA_STATES", "KINDS", "SEVERITIES", "TIME_MIN",
    "TIME_MAX",
]

_lib, library_path = _native.load()

TIME_MIN = _dt.datetime(1, 1, 1, tzinfo=_dt.timezone.utc)
TIME_MAX = _dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=_dt.timezone.utc)
_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_SECOND = _dt.timedelta(seconds=1)


def _names(fn: Any) -> Tuple[str, ...]:
    out = []
    while True:
        s = fn(len(out))
        if s is None:
            return tuple(out)
        out.append(s.decode())


VERDICTS = _names(_lib.lg_verdict_name)
STAGES = _names(_lib.lg_stage_name)
ACTIONS = _names(_lib.lg_action_name)
SLA_STATES = _names(_lib.lg_sla_state_name)
KINDS = _names(_lib.lg_kind_name)
SEVERITIES = _names(_lib.lg_severity_name)
_VALUE_TYPES = (None, "text", "int", "bool")
_INPUT_KINDS = ("attribute", "event")
_DIMENSIONS = ("fit", "engagement", "total")
_SOURCES = ("rubric", "policy")


def version() -> str:
    """The version of the loaded library, e.g. "0.2.0"."""
    return _lib.lg_version_string().decode()


# ---- errors ------------------------------------------------------------------

class LeadgateError(Exception):
    """A failed library call.

    ``status`` is the lg_status value, ``status_name`` its enumerator name
    ("LG_ERR_SYNTAX"), ``message`` what went wrong.  For a definition that
    does not parse, ``line`` and ``column`` (1-based, counted in characters)
    say where; they are None otherwise.
    """

    status_code = -1

    def __init__(self, status: int, message: Optional[str] = None,
                 line: Optional[int] = None, column: Optional[int] = None,
                 what: Optional[str] = None) -> None:
        self.status = status
        self.status_name = _lib.lg_status_name(status).decode()
        self.message = message or _lib.lg_status_message(status).decode()
        self.line = line
        self.column = column
        where = ":%d:%d" % (line, column) if line else ""
        super().__init__("%s%s: %s (%s)" % (what or "leadgate", where, self.message,
                                            self.status_name))


class OutOfMemoryError(LeadgateError):
    status_code = 1


class InvalidError(LeadgateError):
    """LG_ERR_INVALID.  From route, ``index`` is the offending rep's."""
    status_code = 2
    index: Optional[int] = None


class ParseError(LeadgateError):
    """LG_ERR_SYNTAX: a definition that does not parse (see line, column)."""
    status_code = 3


class NotFoundError(LeadgateError):
    status_code = 4


class RangeError(LeadgateError):
    status_code = 5


class LimitError(LeadgateError):
    status_code = 6


class TypeMismatchError(LeadgateError):
    status_code = 7


class StateError(LeadgateError):
    status_code = 8


class BufferTooSmallError(LeadgateError):
    status_code = 9


_ERRORS = {cls.status_code: cls for cls in (
    OutOfMemoryError, InvalidError, ParseError, NotFoundError, RangeError, LimitError,
    TypeMismatchError, StateError, BufferTooSmallError)}


def _raise(status: int, what: str, message: Optional[str] = None,
           line: Optional[int] = None, column: Optional[int] = None) -> None:
    raise _ERRORS.get(status, LeadgateError)(status, message, line, column, what)


def _check(status: int, what: str) -> None:
    if status != 0:
        _raise(status, what)


# ---- argument conversion (all checks happen here, before C) -------------------

def _utf8(s: Any, what: str) -> bytes:
    if not isinstance(s, str):
        raise TypeError("%s must be a str, not %s" % (what, type(s).__name__))
    try:
        b = s.encode("utf-8")
    except UnicodeEncodeError as e:
        raise ValueError("%s is not valid Unicode (%s)" % (what, e.reason)) from None
    if 0 in b:
        raise ValueError("%s holds a NUL character" % what)
    return b


def _int(v: Any, what: str, lo: int = _native.INT64_MIN, hi: int = _native.INT64_MAX) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError("%s must be an int, not %s" % (what, type(v).__name__))
    if not lo <= v <= hi:
        raise ValueError("%s is %d, outside %d..%d" % (what, v, lo, hi))
    return int(v)


def _time(t: Any, what: str = "time") -> int:
    """Epoch seconds from an aware datetime or an int."""
    if isinstance(t, _dt.datetime):
        if t.tzinfo is _UTC:
            try:
                return (t - _EPOCH) // _SECOND
            except OverflowError:
                raise ValueError("%s %s is outside the years 1..9999" % (what, t)) from None
        if t.tzinfo is None or t.tzinfo.utcoffset(t) is None:
            raise ValueError("%s is a naive datetime: give it a timezone "
                             "(e.g. datetime.timezone.utc)" % what)
        try:
            return (t - _EPOCH) // _SECOND
        except OverflowError:
            raise ValueError("%s %s is outside the years 1..9999 in UTC" % (what, t)) from None
    if isinstance(t, _dt.date):
        raise TypeError("%s must be a datetime, not a date" % what)
    return _int(t, what + " (epoch seconds)")


def _duration(d: Any, what: str = "duration") -> int:
    if isinstance(d, _dt.timedelta):
        if d.microseconds:
            raise ValueError("%s %s is not a whole number of seconds" % (what, d))
        return _int(d.days * 86400 + d.seconds, what)
    return _int(d, what + " (seconds)")


def _from_time(t: int) -> Optional[_dt.datetime]:
    if t == _native.TIME_NEVER:
        return None
    return _EPOCH + _dt.timedelta(seconds=t)


_MILLI = Decimal("0.001")
_EXACT = decimal.Context(prec=40)   # int64 milli-points are exact at 22 digits
_POINTS_CACHE: dict = {}


def _points(p: int) -> Decimal:
    """Milli-points as an exact Decimal with three decimals, whatever the
    caller's decimal context."""
    d = _POINTS_CACHE.get(p)
    if d is None:
        if len(_POINTS_CACHE) >= 4096:
            _POINTS_CACHE.clear()
        d = _POINTS_CACHE[p] = _EXACT.multiply(Decimal(p), _MILLI)
    return d


def _enum(value: Any, names: Tuple[str, ...], what: str) -> int:
    if not isinstance(value, str):
        raise TypeError("%s must be a str (one of %s), not %s"
                        % (what, ", ".join(names), type(value).__name__))
    try:
        return names.index(value.lower())
    except ValueError:
        raise ValueError("%s %r is not one of %s" % (what, value, ", ".join(names))) from None


def _name(i: int, names: Tuple[str, ...]) -> str:
    return names[i] if 0 <= i < len(names) else "unknown(%d)" % i


def _text(fn: Any, ptr: Any, what: str) -> str:
    needed = c_size_t()
    status = fn(ptr, None, 0, byref(needed))
    if status not in (0, 9):
        _check(status, what)
    buf = ctypes.create_string_buffer(needed.value)
    _check(fn(ptr, buf, needed.value, byref(needed)), what)
    return buf.value.decode()


# ---- objects -----------------------------------------------------------------

class _Object:
    """Owns one C object; freed by close(), by `with`, or when collected."""

    _free: Any = None

    def __init__(self) -> None:
        self._ptr = c_void_p()
        self._owner: Optional[_Object] = None   # borrowed objects keep their owner alive
        self._users = 0                         # open objects that borrow this one

    def close(self) -> None:
        """Frees the C object now.  Idempotent.  StateError while an object
        made from this one (a Stats from a Policy) is still open."""
        if self._users:
            raise StateError(8, "close the objects made from this %s first"
                             % type(self).__name__, what=type(self).__name__)
        if self._ptr:
            if self._owner is None:
                self._free(self._ptr)
            else:
                self._owner._users -= 1
                self._owner = None
            self._ptr = c_void_p()

    @property
    def closed(self) -> bool:
        return not self._ptr

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if self._ptr and not self._users:
                self.close()
        except Exception:
            pass

    def _p(self) -> Any:
        if not self._ptr:
            raise ValueError("this %s is closed" % type(self).__name__)
        return self._ptr


def _handle(obj: Any, cls: type, what: str) -> Any:
    if not isinstance(obj, cls):
        raise TypeError("%s must be a leadgate.%s, not %s"
                        % (what, cls.__name__, type(obj).__name__))
    return obj._p()


def _parse(fn: Any, text: Any, what: str) -> c_void_p:
    data = _utf8(text, what + " text")
    out = c_void_p()
    err = _native.Error()
    status = fn(data, len(data), byref(out), byref(err))
    if status != 0:
        _raise(status, what, err.message.decode("utf-8", "replace") or None,
               err.line or None, err.column or None)
    return out


@dataclass(frozen=True)
class Input:
    """An input a rubric or policy reads: name, kind ("attribute" or
    "event") and the value type it compares an attribute with ("text",
    "int", "bool"; None for events, presence tests or mixed types)."""
    name: str
    kind: str
    type: Optional[str]


def _inputs(count: Any, at: Any, ptr: Any, what: str) -> Tuple[Input, ...]:
    out = []
    for i in range(count(ptr)):
        name, kind, vtype = c_char_p(), c_int(), c_int()
        _check(at(ptr, i, byref(name), byref(kind), byref(vtype)), what)
        out.append(Input(name.value.decode(), _name(kind.value, _INPUT_KINDS),
                         _VALUE_TYPES[vtype.value] if 0 <= vtype.value < 4 else None))
    return tuple(out)


class _Definition(_Object):
    """A parsed rubric or policy: immutable once made, may be shared by
    threads.  Subclasses name their C functions by prefix."""

    _what = ""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._ptr = _parse(getattr(_lib, "lg_%s_parse" % self._what), text, self._what)

    @property
    def name(self) -> str:
        """The name from the first line ("" when absent)."""
        return getattr(_lib, "lg_%s_name" % self._what)(self._p()).decode()

    @property
    def fingerprint(self) -> int:
        """FNV-1a 64 of the canonical text."""
        return int(getattr(_lib, "lg_%s_fingerprint" % self._what)(self._p()))

    @property
    def text(self) -> str:
        """The canonical text."""
        return _text(getattr(_lib, "lg_%s_to_text" % self._what), self._p(), self._what)

    @property
    def inputs(self) -> Tuple[Input, ...]:
        """The attributes and event types the definition reads."""
        return _inputs(getattr(_lib, "lg_%s_input_count" % self._what),
                       getattr(_lib, "lg_%s_input_at" % self._what), self._p(),
                       self._what + " inputs")


class Rubric(_Definition):
    """A scoring model, parsed from its text (ParseError and friends carry
    line and column)."""

    _what = "rubric"
    _free = _lib.lg_rubric_free

    @property
    def max_fit(self) -> Decimal:
        return _points(_lib.lg_rubric_max_fit(self._p()))


class Calendar(_Object):
    """Business hours.  Parsed from text, or borrowed from a Policy
    (Policy.calendar), in which case it keeps the policy open."""

    _free = _lib.lg_calendar_free

    def __init__(self, text: str) -> None:
        super().__init__()
        self._ptr = _parse(_lib.lg_calendar_parse, text, "calendar")

    @classmethod
    def _borrow(cls, owner: "Policy", ptr: Any) -> "Calendar":
        cal = cls.__new__(cls)
        _Object.__init__(cal)
        cal._ptr = c_void_p(ptr)
        cal._owner = owner
        owner._users += 1
        return cal

    @property
    def text(self) -> str:
        return _text(_lib.lg_calendar_to_text, self._p(), "calendar")

    def add(self, start: Any, duration: Any) -> _dt.datetime:
        """The earliest time at which `duration` of open time has passed
        since `start`."""
        out = c_int64()
        _check(_lib.lg_calendar_add(self._p(), _time(start, "start"),
                                    _duration(duration), byref(out)), "calendar add")
        return _from_time(out.value)  # type: ignore[return-value]

    def between(self, a: Any, b: Any) -> _dt.timedelta:
        """Open time in [a, b); zero when b <= a."""
        out = c_int64()
        _check(_lib.lg_calendar_between(self._p(), _time(a, "a"), _time(b, "b"), byref(out)),
               "calendar between")
        return _dt.timedelta(seconds=out.value)

    def is_open(self, t: Any) -> bool:
        t = _time(t)
        if not _native.TIME_MIN <= t <= _native.TIME_MAX:
            raise RangeError(5, "time outside the years 1..9999", what="calendar is_open")
        return bool(_lib.lg_calendar_is_open(self._p(), t))

    def next_open(self, t: Any) -> Optional[_dt.datetime]:
        """The earliest open instant at or after t; None if never."""
        t = _time(t)
        if not _native.TIME_MIN <= t <= _native.TIME_MAX:
            raise RangeError(5, "time outside the years 1..9999", what="calendar next_open")
        return _from_time(_lib.lg_calendar_next_open(self._p(), t))


class Policy(_Definition):
    """The agreement between sales and marketing: qualification, grades,
    calendar, follow-up SLA and routing."""

    _what = "policy"
    _free = _lib.lg_policy_free

    @property
    def calendar(self) -> Calendar:
        """The policy's calendar (always open when it has none).  Close it
        (or let it go) before closing the policy."""
        return Calendar._borrow(self, _lib.lg_policy_calendar(self._p()))


@dataclass(frozen=True)
class Assignment:
    owner: str
    assigned_at: _dt.datetime
    touched_at: Optional[_dt.datetime]


AttrValue = Union[str, int, bool]
TimeLike = Union[_dt.datetime, int]


# From new to each stage along the lifecycle (stage numbers as lg_stage).
_STAGE_PATHS = ((), (1,), (2,), (2, 3), (2, 3, 4), (2, 3, 4, 5), (2, 3, 4, 5, 6), (2, 3, 4, 5, 7),
                (8,))


class Lead(_Object):
    """What is known of a prospect.

    ``Lead(id, attributes, events, stage)``: attributes map names to str,
    int or bool; events are (type, time) pairs; `stage` is reached from
    "new" along the lifecycle (new -> mql -> sal -> sql -> opportunity ->
    won/lost, or nurture, or disqualified), each step dated at the epoch
    (no function reads a stage's time).  Not thread-safe.
    """

    _free = _lib.lg_lead_free

    def __init__(self, id: str, attributes: Optional[Mapping[str, AttrValue]] = None,
                 events: Optional[Iterable[Tuple[str, TimeLike]]] = None,
                 stage: Optional[str] = None) -> None:
        super().__init__()
        ident = _utf8(id, "lead id")
        if attributes is not None and not isinstance(attributes, Mapping):
            raise TypeError("attributes must be a mapping, not %s" % type(attributes).__name__)
        out = c_void_p()
        _check(_lib.lg_lead_create(ident, byref(out)), "lead")
        self._ptr = out
        try:
            if attributes:
                for name, value in attributes.items():
                    self.set(name, value)
            if events is not None:
                if isinstance(events, (str, bytes, Mapping)):
                    raise TypeError("events must be a list of (type, time) pairs")
                add = _lib.lg_lead_add_event
                for ev in events:
                    if type(ev) is not tuple or len(ev) != 2:
                        raise TypeError("each event must be a (type, time) tuple, not %r"
                                        % (ev,))
                    status = add(out, _utf8(ev[0], "event type"), _time(ev[1], "event time"))
                    if status:
                        _raise(status, "event %s" % ev[0])
            if stage is not None:
                target = _enum(stage, STAGES, "stage")
                for step in _STAGE_PATHS[target]:
                    self.set_stage(STAGES[step], 0)
        except BaseException:
            self.close()
            raise

    @property
    def id(self) -> str:
        return _lib.lg_lead_id(self._p()).decode()

    def set(self, name: str, value: AttrValue) -> None:
        """Sets attribute `name` to a str, int (int64) or bool."""
        n = _utf8(name, "attribute name")
        p = self._p()
        if type(value) is str:
            status = _lib.lg_lead_set_text(p, n, _utf8(value, "attribute %s" % name))
        elif isinstance(value, bool):
            status = _lib.lg_lead_set_bool(p, n, int(value))
        elif isinstance(value, int):
            status = _lib.lg_lead_set_int(p, n, _int(value, "attribute %s" % name))
        elif isinstance(value, str):
            status = _lib.lg_lead_set_text(p, n, _utf8(value, "attribute %s" % name))
        elif value is None:
            raise ValueError("attribute %s is None: leave it out (or unset it) instead" % name)
        else:
            raise TypeError("attribute %s must be str, int or bool, not %s"
                            % (name, type(value).__name__))
        _check(status, "attribute %s" % name)

    def unset(self, name: str) -> None:
        _check(_lib.lg_lead_unset(self._p(), _utf8(name, "attribute name")), "unset")

    def get(self, name: str, default: Any = None) -> Any:
        """The attribute's value, or `default` when absent."""
        n = _utf8(name, "attribute name")
        t = _lib.lg_lead_attr_type(self._p(), n)
        if t == 1:
            s = c_char_p()
            _check(_lib.lg_lead_get_text(self._p(), n, byref(s)), "get")
            return s.value.decode()  # type: ignore[union-attr]
        if t == 2:
            i = c_int64()
            _check(_lib.lg_lead_get_int(self._p(), n, byref(i)), "get")
            return i.value
        if t == 3:
            b = c_int()
            _check(_lib.lg_lead_get_bool(self._p(), n, byref(b)), "get")
            return bool(b.value)
        return default

    @property
    def attributes(self) -> dict:
        """All attributes, in ascending name order."""
        p = self._p()
        names = []
        for i in range(_lib.lg_lead_attr_count(p)):
            name, vtype = c_char_p(), c_int()
            _check(_lib.lg_lead_attr_at(p, i, byref(name), byref(vtype)), "attributes")
            names.append(name.value.decode())  # type: ignore[union-attr]
        return {key: self.get(key) for key in sorted(names)}

    def add_event(self, type: str, at: TimeLike) -> None:
        _check(_lib.lg_lead_add_event(self._p(), _utf8(type, "event type"), _time(at, "event time")),
               "event %s" % type)

    @property
    def events(self) -> List[Tuple[str, _dt.datetime]]:
        """The events in time order."""
        p = self._p()
        out = []
        for i in range(_lib.lg_lead_event_count(p)):
            t, at = c_char_p(), c_int64()
            _check(_lib.lg_lead_event_at(p, i, byref(t), byref(at)), "events")
            out.append((t.value.decode(), _from_time(at.value)))  # type: ignore
        return out

    @property
    def stage(self) -> str:
        return _name(_lib.lg_lead_stage(self._p()), STAGES)

    def set_stage(self, to: str, at: TimeLike) -> None:
        """Moves the lead to stage `to` (StateError for a transition the
        lifecycle does not allow)."""
        _check(_lib.lg_lead_set_stage(self._p(), _enum(to, STAGES, "stage"), _time(at)),
               "stage %s" % to)

    def assign(self, owner: str, at: TimeLike) -> None:
        _check(_lib.lg_lead_assign(self._p(), _utf8(owner, "owner"), _time(at)), "assign")

    def touch(self, at: TimeLike) -> None:
        _check(_lib.lg_lead_touch(self._p(), _time(at)), "touch")

    def record_action(self, action: str, at: TimeLike) -> None:
        _check(_lib.lg_lead_record_action(self._p(), _enum(action, ACTIONS, "action"),
                                          _time(at)), "record_action")

    def snooze(self, start: TimeLike, until: TimeLike) -> None:
        """Pauses the current assignment's follow-up clock in [start, until)
        (RangeError unless start < until; StateError when the lead is not
        assigned or `start` precedes the assignment).  Overlapping snoozes
        merge; there is no read-back and no undo."""
        _check(_lib.lg_lead_snooze(self._p(), _time(start, "start"), _time(until, "until")),
               "snooze")

    @property
    def owner(self) -> Optional[str]:
        o = _lib.lg_lead_owner(self._p())
        return o.decode() if o is not None else None

    @property
    def assignments(self) -> List[Assignment]:
        p = self._p()
        out = []
        for i in range(_lib.lg_lead_assignment_count(p)):
            o, at, touched = c_char_p(), c_int64(), c_int64()
            _check(_lib.lg_lead_assignment_at(p, i, byref(o), byref(at), byref(touched)),
                   "assignments")
            out.append(Assignment(o.value.decode(), _from_time(at.value),  # type: ignore
                                  _from_time(touched.value)))
        return out

    def clone(self) -> "Lead":
        out = c_void_p()
        _check(_lib.lg_lead_clone(self._p(), byref(out)), "clone")
        lead = Lead.__new__(Lead)
        _Object.__init__(lead)
        lead._ptr = out
        return lead


# ---- results -----------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    fit: Decimal
    engagement: Decimal
    total: Decimal
    knocked_out: bool
    knockout_index: Optional[int]   # first matching knockout, None if none
    missing_count: int


def _score(s: Any) -> Score:
    return Score(_points(s.fit), _points(s.engagement), _points(s.total),
                 bool(s.knocked_out), s.knockout_index if s.knockout_index >= 0 else None,
                 s.missing_count)


@dataclass(frozen=True)
class Decision:
    score: Score
    verdict: str
    stage: str                       # recommended stage
    grade: str                       # "" when no grade matches
    reason: str
    rubric_fingerprint: int
    policy_fingerprint: int
    next_at: Optional[_dt.datetime]  # when the decision next changes; None: never


@dataclass(frozen=True)
class Contribution:
    criterion: str
    attribute: str
    kind: str
    missing: bool
    points: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class Question:
    attribute: str
    gain: Decimal


@dataclass(frozen=True)
class SlaStatus:
    state: str
    action: str
    started_at: Optional[_dt.datetime]
    due_at: Optional[_dt.datetime]
    next_at: Optional[_dt.datetime]
    elapsed: _dt.timedelta
    remaining: _dt.timedelta
    reassignments: int
    tier: Optional[int]              # index of the follow-up rule; None with "none"


@dataclass(frozen=True)
class Rep:
    """A sales rep offered to route().  last_assigned_at None means never."""
    id: str
    available: bool = True
    open_leads: int = 0
    capacity: int = 0                # 0: unlimited
    weight: int = 1
    last_assigned_at: Optional[TimeLike] = None


@dataclass(frozen=True)
class RepStats:
    rep: str
    assigned: int
    touched: int
    touched_in_sla: int
    breached: int
    open_overdue: int
    median_response: _dt.timedelta
    p90_response: _dt.timedelta


@dataclass(frozen=True)
class Calibration:
    threshold: Decimal
    count: int


# ---- functions ---------------------------------------------------------------

def score(rubric: Rubric, lead: Lead, now: TimeLike) -> Score:
    """Fit, engagement and total of `lead` as of `now`."""
    out = _native.Score()
    _check(_lib.lg_score_lead(_handle(rubric, Rubric, "rubric"), _handle(lead, Lead, "lead"),
                              _time(now, "now"), byref(out)), "score")
    return _score(out)


def _lead_array(leads: Any) -> Tuple[Any, int]:
    if isinstance(leads, (str, bytes, Mapping)) or not isinstance(leads, Iterable):
        raise TypeError("leads must be a sequence of leadgate.Lead")
    ptrs = []
    for i, lead in enumerate(leads):
        if type(lead) is not Lead:
            raise TypeError("leads[%d] must be a leadgate.Lead, not %s"
                            % (i, type(lead).__name__))
        p = lead._ptr.value
        if not p:
            raise ValueError("leads[%d] is closed" % i)
        ptrs.append(p)
    n = len(ptrs)
    return (c_void_p * max(n, 1))(*ptrs), n


_SCORE_LAYOUT = struct.Struct("=qqqiiII")   # lg_score, field by field
assert _SCORE_LAYOUT.size == ctypes.sizeof(_native.Score)


def score_many(rubric: Rubric, leads: Sequence[Lead], now: TimeLike) -> List[Score]:
    """Scores every lead with one call into the library (lg_score_many)."""
    r = _handle(rubric, Rubric, "rubric")
    t = _time(now, "now")
    arr, n = _lead_array(leads)
    out = (_native.Score * max(n, 1))()
    _check(_lib.lg_score_many(r, arr, n, t, out), "score_many")
    # Read the array in one pass (struct is much faster than ctypes fields).
    pts = _points
    return [Score(pts(fit), pts(eng), pts(total), ko != 0, idx if idx >= 0 else None, missing)
            for fit, eng, total, ko, idx, missing, _ in
            _SCORE_LAYOUT.iter_unpack(memoryview(out).cast("B")[:n * _SCORE_LAYOUT.size])]


def decide(rubric: Rubric, policy: Policy, lead: Lead, now: TimeLike) -> Decision:
    """Scores the lead and applies the policy as of `now`."""
    d = _native.Decision()
    _check(_lib.lg_decide(_handle(rubric, Rubric, "rubric"), _handle(policy, Policy, "policy"),
                          _handle(lead, Lead, "lead"), _time(now, "now"), byref(d)), "decide")
    return Decision(_score(d.score), _name(d.verdict, VERDICTS), _name(d.stage, STAGES),
                    d.grade.decode(), d.reason.decode(), int(d.rubric_fingerprint),
                    int(d.policy_fingerprint), _from_time(d.next_at))


def explain(rubric: Rubric, lead: Lead, now: TimeLike) -> List[Contribution]:
    """One entry per criterion, in rubric order."""
    r, lp, t = _handle(rubric, Rubric, "rubric"), _handle(lead, Lead, "lead"), _time(now, "now")
    count = c_size_t()
    status = _lib.lg_explain(r, lp, t, None, 0, byref(count))
    if status not in (0, 9):
        _check(status, "explain")
    items = (_native.Contribution * max(count.value, 1))()
    _check(_lib.lg_explain(r, lp, t, items, count.value, byref(count)), "explain")
    return [Contribution(c.criterion.decode(), c.attribute.decode(), _name(c.kind, KINDS),
                         bool(c.missing), _points(c.points), _points(c.max_points))
            for c in items[:count.value]]


def next_question(rubric: Rubric, lead: Lead) -> Optional[Question]:
    """The missing attribute worth asking for next; None when none is missing."""
    attr, gain = c_char_p(), c_int64()
    status = _lib.lg_next_question(_handle(rubric, Rubric, "rubric"), _handle(lead, Lead, "lead"),
                                   byref(attr), byref(gain))
    if status == 4:
        return None
    _check(status, "next_question")
    return Question(attr.value.decode(), _points(gain.value))  # type: ignore[union-attr]


def sla(policy: Policy, lead: Lead, now: TimeLike) -> SlaStatus:
    """The follow-up SLA of the lead's current assignment as of `now`."""
    s = _native.SlaStatus()
    _check(_lib.lg_sla_eval(_handle(policy, Policy, "policy"), _handle(lead, Lead, "lead"),
                            _time(now, "now"), byref(s)), "sla")
    none = s.state == 0
    return SlaStatus(_name(s.state, SLA_STATES), _name(s.action, ACTIONS),
                     None if none else _from_time(s.started_at),
                     None if none else _from_time(s.due_at), _from_time(s.next_at),
                     _dt.timedelta(seconds=s.elapsed), _dt.timedelta(seconds=s.remaining),
                     s.reassignments, None if s.tier < 0 else s.tier)


def route(policy: Policy, lead: Lead, reps: Sequence[Rep], now: TimeLike) -> int:
    """The index in `reps` of the rep who should get the lead (NotFoundError
    when nobody can take it; InvalidError with .index for a bad rep)."""
    p, lp, t = _handle(policy, Policy, "policy"), _handle(lead, Lead, "lead"), _time(now, "now")
    if isinstance(reps, (str, bytes, Mapping)) or not isinstance(reps, Iterable):
        raise TypeError("reps must be a sequence of leadgate.Rep")
    reps = list(reps)
    arr = (_native.Rep * max(len(reps), 1))()
    keep = []
    for i, r in enumerate(reps):
        if not isinstance(r, Rep):
            raise TypeError("reps[%d] must be a leadgate.Rep, not %s" % (i, type(r).__name__))
        if not isinstance(r.available, bool):
            raise TypeError("reps[%d].available must be a bool" % i)
        ident = _utf8(r.id, "reps[%d].id" % i)
        keep.append(ident)
        arr[i].id = ident
        arr[i].available = int(r.available)
        arr[i].open_leads = _int(r.open_leads, "reps[%d].open_leads" % i, _native.INT32_MIN,
                                 _native.INT32_MAX)
        arr[i].capacity = _int(r.capacity, "reps[%d].capacity" % i, _native.INT32_MIN,
                               _native.INT32_MAX)
        arr[i].weight = _int(r.weight, "reps[%d].weight" % i, _native.INT32_MIN,
                             _native.INT32_MAX)
        arr[i].last_assigned_at = (_native.TIME_MIN if r.last_assigned_at is None
                                   else _time(r.last_assigned_at,
                                              "reps[%d].last_assigned_at" % i))
    chosen = c_size_t(len(reps))
    status = _lib.lg_route(p, lp, arr, len(reps), t, byref(chosen))
    if status == 2 and chosen.value < len(reps):
        err = InvalidError(2, "reps[%d] is not a valid rep (empty id, weight < 1 or a "
                           "negative count)" % chosen.value, what="route")
        err.index = chosen.value
        raise err
    _check(status, "route")
    return chosen.value


class Stats(_Object):
    """Follow-up compliance per rep under one policy (which stays open as
    long as the Stats does).  Not thread-safe."""

    _free = _lib.lg_stats_free

    def __init__(self, policy: Policy) -> None:
        super().__init__()
        p = _handle(policy, Policy, "policy")
        out = c_void_p()
        _check(_lib.lg_stats_create(p, byref(out)), "stats")
        self._ptr = out
        self._policy = policy
        policy._users += 1

    def close(self) -> None:
        if self._ptr:
            _lib.lg_stats_free(self._ptr)
            self._ptr = c_void_p()
            self._policy._users -= 1

    def add(self, lead: Lead, now: TimeLike) -> None:
        """Counts every assignment of `lead` made at or before `now`."""
        _check(_lib.lg_stats_add(self._p(), _handle(lead, Lead, "lead"), _time(now, "now")),
               "stats add")

    def __len__(self) -> int:
        return int(_lib.lg_stats_rep_count(self._p()))

    def __getitem__(self, i: int) -> RepStats:
        i = _int(i, "index")
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("rep index out of range")
        s = _native.RepStats()
        _check(_lib.lg_stats_rep(self._p(), i, byref(s)), "stats rep")
        return RepStats(s.rep.decode(), s.assigned, s.touched, s.touched_in_sla, s.breached,
                        s.open_overdue, _dt.timedelta(seconds=s.median_response),
                        _dt.timedelta(seconds=s.p90_response))

    @property
    def reps(self) -> List[RepStats]:
        """Every rep's row, in ascending byte order of rep id."""
        return [self[i] for i in range(len(self))]

    def correlation(self, reps: Sequence[str], attainment: Sequence[float]) -> float:
        """Pearson r between each rep's in-SLA follow-up rate and the
        attainment given for it."""
        if isinstance(reps, (str, bytes)) or isinstance(attainment, (str, bytes)):
            raise TypeError("reps and attainment must be sequences")
        reps, attainment = list(reps), list(attainment)
        if len(reps) != len(attainment):
            raise ValueError("reps and attainment differ in length (%d, %d)"
                             % (len(reps), len(attainment)))
        names = [_utf8(r, "reps[%d]" % i) for i, r in enumerate(reps)]
        values = []
        for i, a in enumerate(attainment):
            if isinstance(a, bool) or not isinstance(a, (int, float)):
                raise TypeError("attainment[%d] must be a number" % i)
            if not math.isfinite(a):
                raise ValueError("attainment[%d] is %r: must be finite" % (i, a))
            values.append(float(a))
        n = len(names)
        r = c_double()
        _check(_lib.lg_stats_correlation(self._p(), (c_char_p * max(n, 1))(*names),
                                         (c_double * max(n, 1))(*values), n, byref(r)),
               "correlation")
        return r.value


def calibrate(rubric: Rubric, leads: Sequence[Lead], now: TimeLike, capacity: int,
              dimension: str = "total") -> Calibration:
    """The smallest threshold that at most `capacity` leads (not knocked
    out) reach on `dimension`, and how many do."""
    r = _handle(rubric, Rubric, "rubric")
    t = _time(now, "now")
    dim = _enum(dimension, _DIMENSIONS, "dimension")
    cap = _int(capacity, "capacity", 0, 2 ** 64 - 1)
    arr, n = _lead_array(leads)
    threshold, count = c_int64(), c_size_t()
    _check(_lib.lg_calibrate(r, arr, n, t, dim, cap, byref(threshold), byref(count)),
           "calibrate")
    return Calibration(_points(threshold.value), count.value)


_UINT32_MAX = 2 ** 32 - 1


def _milli_points(p: Any, what: str) -> int:
    """Points (Decimal or int) as exact milli-points."""
    if isinstance(p, bool) or not isinstance(p, (int, Decimal)):
        raise TypeError("%s must be a Decimal or an int of points, not %s"
                        % (what, type(p).__name__))
    if isinstance(p, Decimal) and not p.is_finite():
        raise ValueError("%s is %s: must be finite" % (what, p))
    milli = _EXACT.multiply(Decimal(p), Decimal(1000))
    if milli != milli.to_integral_value():
        raise ValueError("%s %s is not a whole number of milli-points" % (what, p))
    return _int(int(milli), what + " (milli-points)")


def _learn_invalid(names: List[bytes], name: bytes) -> str:
    """Why lg_learn_rubric refused the names, when it is about them."""
    seen = set()
    for i, a in enumerate(names):
        err = _native.Error()
        if _lib.lg_name_check(a, byref(err)) != 0:
            return "attributes[%d] %r: %s (column %d)" % (
                i, a.decode(), err.message.decode("utf-8", "replace"), err.column)
        if a in seen:
            return "attributes[%d] %r is given twice" % (i, a.decode())
        seen.add(a)
    if not names:
        return "no attributes to learn from"
    if not 1 <= len(name) <= 64 or any(b < 0x20 or b == 0x7f for b in name):
        return "the rubric name must be 1 to 64 bytes of UTF-8 without control characters"
    return ("an option is out of range (max_values and bins at most 256, scale at most "
            "1000 points)")


def learn_rubric(leads: Sequence[Lead], converted: Sequence[Union[bool, int]],
                 attributes: Sequence[str], name: str, *, max_values: int = 0, bins: int = 0,
                 min_count: int = 0, scale: Union[Decimal, int] = Decimal(1)) -> str:
    """A rubric text (lg_learn_rubric) named `name` with one fit criterion
    per attribute, learned from the leads whose outcome converted[i] is
    True (won) or False; ``Rubric(text)`` parses it.

    max_values (text values kept per attribute, 0: 16), bins (quantile
    bins of an integer attribute, 0: 5) and min_count (a text value seen
    fewer times counts as `otherwise`, 0: 20) are the library's options,
    at most 256, 256 and 2^32 - 1; `scale` is the points per doubling of
    the odds (Decimal or int, 0.001 to 1000).  RangeError with fewer than
    10 leads of either outcome; InvalidError for a bad name or an option
    out of range.
    """
    arr, n = _lead_array(leads)
    if isinstance(converted, (str, bytes, Mapping)) or not isinstance(converted, Iterable):
        raise TypeError("converted must be a sequence of bool, one per lead")
    outcomes = list(converted)
    if len(outcomes) != n:
        raise ValueError("converted has %d outcomes for %d leads" % (len(outcomes), n))
    conv = (ctypes.c_int32 * max(n, 1))()
    for i, c in enumerate(outcomes):
        if not isinstance(c, int):
            raise TypeError("converted[%d] must be a bool (or 0 or 1), not %s"
                            % (i, type(c).__name__))
        if c not in (0, 1):
            raise ValueError("converted[%d] is %r: must be True, False, 1 or 0" % (i, c))
        conv[i] = int(c)
    if isinstance(attributes, (str, bytes, Mapping)) or not isinstance(attributes, Iterable):
        raise TypeError("attributes must be a sequence of attribute names")
    names = [_utf8(a, "attributes[%d]" % i) for i, a in enumerate(attributes)]
    rubric_name = _utf8(name, "rubric name")
    opts = _native.LearnOptions()
    opts.max_values = _int(max_values, "max_values", 0, _UINT32_MAX)
    opts.bins = _int(bins, "bins", 0, _UINT32_MAX)
    opts.min_count = _int(min_count, "min_count", 0, _UINT32_MAX)
    opts.scale = _milli_points(scale, "scale")
    if opts.scale <= 0:
        raise ValueError("scale is %s: must be positive points" % scale)
    attrs = (c_char_p * max(len(names), 1))(*names)
    needed = c_size_t()
    cap = min(1024 * (len(names) + 1), (1 << 20) + 1)
    for _ in range(2):
        buf = ctypes.create_string_buffer(cap)
        status = _lib.lg_learn_rubric(arr, conv, n, attrs, len(names), rubric_name,
                                      byref(opts), buf, cap, byref(needed))
        if status != 9:
            break
        cap = needed.value
    if status == 2:
        _raise(status, "learn_rubric", _learn_invalid(names, rubric_name))
    if status == 5:
        won = sum(conv[i] for i in range(n))
        if won < 10 or n - won < 10:
            _raise(status, "learn_rubric", "needs at least 10 converted and 10 other leads "
                   "(got %d and %d)" % (won, n - won))
        _raise(status, "learn_rubric", "an integer bin edge lies beyond +-10^15 "
               "(a rubric's match numbers)")
    _check(status, "learn_rubric")
    return buf.value.decode()


@dataclass(frozen=True)
class Finding:
    """What lint proved about a definition."""
    severity: str                    # "info", "warning" or "error"
    source: str                      # "rubric" or "policy"
    line: Optional[int]              # line of that text; None when not about a line
    code: str                        # stable identifier, e.g. "unreachable-qualify"
    message: str


def lint(rubric: Optional[Rubric] = None, policy: Optional[Policy] = None) -> List[Finding]:
    """The findings about the rubric, the policy, or the two together
    (checks that need both run only with both): rubric lines first, then
    policy lines, each in line order.  ValueError when both are None."""
    r = None if rubric is None else _handle(rubric, Rubric, "rubric")
    p = None if policy is None else _handle(policy, Policy, "policy")
    if r is None and p is None:
        raise ValueError("lint needs a rubric, a policy or both")
    count = c_size_t()
    status = _lib.lg_lint(r, p, None, 0, byref(count))
    if status not in (0, 9):
        _check(status, "lint")
    items = (_native.Finding * max(count.value, 1))()
    _check(_lib.lg_lint(r, p, items, count.value, byref(count)), "lint")
    return [Finding(_name(f.severity, SEVERITIES), _name(f.source, _SOURCES), f.line or None,
                    f.code.decode(), f.message.decode("utf-8", "replace"))
            for f in items[:count.value]]
