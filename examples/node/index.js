'use strict';
/*
 * leadgate for Node.js: classes and functions over the Node-API addon
 * (addon.c, built as leadgate.node).
 *
 * Conventions (see index.d.ts and README.md, "Node.js"):
 *   - times in: a Date (milliseconds dropped, rounding down), epoch seconds
 *     as an integer number, or a BigInt of epoch seconds;
 *   - times out: epoch seconds as numbers; "never" (LG_TIME_NEVER) is null;
 *   - points: integer milli-points as numbers (2.5 points is 2500), exact;
 *   - enums: lg_*_name strings ('mql', 'met_late', 'warn', 'fit', ...);
 *   - errors: wrong JavaScript types are TypeError, numbers or strings that
 *     cannot be passed exactly are RangeError, and whatever the library
 *     refuses is a LeadgateError with status ('LG_ERR_SYNTAX', ...), line,
 *     column (0 when not about a position) and index (the offending array
 *     element, or null).
 *   - objects: freed by close() or, failing that, when garbage collected;
 *     using a closed object throws a LeadgateError with status
 *     'LG_ERR_STATE'.
 */

const fs = require('node:fs');
const path = require('node:path');

/* message: where and what ("Rubric text: line 3, column 12: expected ...");
 * status: the lg_status name; line, column: 1-based position in a
 * definition's text (0 when the error is not about a position); index:
 * the element of an array argument at fault, or null; detail: the
 * library's own message ("expected '->' after match list, got '3'"). */
class LeadgateError extends Error {
  constructor(message, status, line = 0, column = 0, index = null, detail = '') {
    super(message);
    this.name = 'LeadgateError';
    this.status = status;
    this.line = line;
    this.column = column;
    this.index = index;
    this.detail = detail;
  }
}

function loadAddon() {
  const candidates = process.env.LEADGATE_NODE_ADDON
    ? [path.resolve(process.env.LEADGATE_NODE_ADDON)]
    : [path.join(__dirname, 'leadgate.node'),
       path.join(__dirname, '..', '..', 'build', 'examples', 'node', 'leadgate.node')];
  for (const file of candidates) {
    if (fs.existsSync(file)) return require(file);
  }
  throw new Error('leadgate: the addon leadgate.node was not found ' +
                  `(looked at ${candidates.join(', ')}); build it with CMake ` +
                  '(target leadgate_node) or set LEADGATE_NODE_ADDON to its path');
}

const native = loadAddon();
native.init(LeadgateError);

const FROM_HANDLE = Symbol('leadgate.fromHandle');

/* Base of every class that owns a library object. */
class Native {
  #h;
  #closed = false;
  constructor(h) {
    this.#h = h;
  }
  /* The handle of `obj`, which must be an instance of `Cls`. */
  static handleOf(obj, Cls, what) {
    if (!(obj instanceof Cls) || !(#h in obj)) {
      const got = obj === null ? 'null'
        : typeof obj === 'object' ? (obj.constructor?.name ?? 'an object') : typeof obj;
      throw new TypeError(`${what} must be a leadgate ${Cls.name}, got ${got}`);
    }
    return obj.#h;
  }
  /* Frees the library object now; later use throws.  Calling it again does
   * nothing. */
  close() {
    if (!this.#closed) {
      this.#closed = true;
      native.close(this.#h);
    }
  }
  get closed() {
    return this.#closed;
  }
  /* `using` (explicit resource management) closes the object */
  [Symbol.dispose ?? Symbol.for('nodejs.dispose')]() {
    this.close();
  }
}

const handleOf = (obj, Cls, what) => Native.handleOf(obj, Cls, what);

/* What rubrics and policies share: name, fingerprint, inputs, text. */
class Definition extends Native {
  #info = null;
  #get() {
    const h = handleOf(this, Definition, 'this');
    return this.#info ??= this instanceof Rubric ? native.rubricInfo(h) : native.policyInfo(h);
  }
  get name() { return this.#get().name; }
  /* FNV-1a 64 of the canonical text, 16 lowercase hex digits. */
  get fingerprint() { return this.#get().fingerprint; }
  /* The attributes and events the definition reads: {name, kind, type}. */
  get inputs() { return this.#get().inputs.map((i) => ({ ...i })); }
  /* The canonical text. */
  toText() { return native.toText(handleOf(this, Definition, 'this')); }
  get _info() { return this.#get(); }
}

class Rubric extends Definition {
  /* Parses a rubric; a LeadgateError names line and column on failure. */
  constructor(text) {
    super(native.rubricParse(text));
  }
  /* The best possible fit score, in milli-points. */
  get maxFit() { return this._info.maxFit; }
}

class Calendar extends Native {
  /* new Calendar(text): a calendar of its own.  Policy#calendar gives the
   * policy's, which keeps the policy's calendar alive until closed. */
  constructor(text, h) {
    super(text === FROM_HANDLE ? h : native.calendarParse(text));
  }
  #h() { return handleOf(this, Calendar, 'this'); }
  /* The earliest time at which `seconds` of open time have passed since
   * `start` (epoch seconds). */
  add(start, seconds) { return native.calendarAdd(this.#h(), start, seconds); }
  /* Open seconds in [a, b). */
  between(a, b) { return native.calendarBetween(this.#h(), a, b); }
  isOpen(t) { return native.calendarIsOpen(this.#h(), t); }
  /* The earliest open instant at or after t, or null if never. */
  nextOpen(t) { return native.calendarNextOpen(this.#h(), t); }
  toText() { return native.toText(this.#h()); }
}

class Policy extends Definition {
  constructor(text) {
    super(native.policyParse(text));
  }
  /* A new Calendar over the policy's business calendar (close it, or let
   * it be collected, independently of the policy). */
  get calendar() {
    return new Calendar(FROM_HANDLE, native.policyCalendar(handleOf(this, Policy, 'this')));
  }
}

class Lead extends Native {
  #key = -1;
  /* The number the addon knows this lead by in scoreMany and calibrate. */
  static keyOf(lead, i) {
    if (!(lead instanceof Lead) || !(#key in lead)) handleOf(lead, Lead, `leads[${i}]`); // throws
    if (lead.#key < 0) lead.#key = native.leadKey(handleOf(lead, Lead, `leads[${i}]`));
    return lead.#key;
  }
  /* new Lead(id, attrs?, events?): attrs maps names to strings, booleans,
   * integers (safe integer numbers or BigInts); events are [type, time]
   * pairs.  The whole lead is refused if any part is. */
  constructor(id, attrs = {}, events = []) {
    super(id === FROM_HANDLE ? attrs : native.leadNew(id, attrs, events));
  }
  #h() { return handleOf(this, Lead, 'this'); }
  /* An independent copy. */
  clone() { return new Lead(FROM_HANDLE, native.leadClone(this.#h())); }
  set(name, value) { native.leadSet(this.#h(), name, value); return this; }
  /* Removes an attribute; false if it was absent. */
  unset(name) { return native.leadUnset(this.#h(), name); }
  /* The value (string, boolean, number, or BigInt beyond 2^53), or
   * undefined when absent. */
  get(name) { return native.leadGet(this.#h(), name); }
  addEvent(type, at) { native.leadAddEvent(this.#h(), type, at); return this; }
  assign(owner, at) { native.leadAssign(this.#h(), owner, at); return this; }
  touch(at) { native.leadTouch(this.#h(), at); return this; }
  recordAction(action, at) { native.leadRecordAction(this.#h(), action, at); return this; }
  /* Pauses the current assignment's follow-up clock in [from, until). */
  snooze(from, until) { native.leadSnooze(this.#h(), from, until); return this; }
  setStage(stage, at) { native.leadSetStage(this.#h(), stage, at); return this; }
  get id() { return native.leadInfo(this.#h(), 'id'); }
  get stage() { return native.leadInfo(this.#h(), 'stage'); }
  get owner() { return native.leadInfo(this.#h(), 'owner'); }
  /* Attributes, in ascending name order. */
  get attrs() { return native.leadInfo(this.#h(), 'attrs'); }
  /* [type, epochSeconds] pairs in time order. */
  get events() { return native.leadInfo(this.#h(), 'events'); }
  /* {owner, at, touchedAt} in order; touchedAt null when untouched. */
  get assignments() { return native.leadInfo(this.#h(), 'assignments'); }
  toJSON() { return native.leadInfo(this.#h()); }
}

class Stats extends Native {
  #policy;
  /* A follow-up compliance book under `policy`, which it keeps alive. */
  constructor(policy) {
    super(native.statsNew(handleOf(policy, Policy, 'policy')));
    this.#policy = policy;
  }
  #h() { return handleOf(this, Stats, 'this'); }
  get policy() { return this.#policy; }
  add(lead, now) {
    native.statsAdd(this.#h(), handleOf(lead, Lead, 'lead'), now);
    return this;
  }
  /* One row per rep, in ascending rep id order. */
  reps() { return native.statsReps(this.#h()); }
  /* Pearson r between in-SLA follow-up rate and the given attainment. */
  correlation(reps, attainment) { return native.statsCorrelation(this.#h(), reps, attainment); }
}

/* The leads' keys (Lead#key) for the addon, which reads them without a
 * call into the engine per lead. */
function leadKeys(leads) {
  if (!Array.isArray(leads)) {
    const got = leads === null ? 'null' : typeof leads;
    throw new TypeError(`leads must be an Array of Lead, got ${got}`);
  }
  const keys = []; // grows with the leads checked: a sparse huge Array fails at its first hole
  for (let i = 0; i < leads.length; i++) keys.push(Lead.keyOf(leads[i], i));
  return new Float64Array(keys);
}

function score(rubric, lead, now) {
  return native.score(handleOf(rubric, Rubric, 'rubric'), handleOf(lead, Lead, 'lead'), now);
}

/* The addon's answer for scoreMany: 6 numbers per lead (fit, engagement,
 * total, knocked out 0/1, knockout index, missing count). */
function scoreManyRaw(rubric, leads, now) {
  return native.scoreMany(handleOf(rubric, Rubric, 'rubric'), leadKeys(leads), now);
}

/* Scores every lead in one library call. */
function scoreMany(rubric, leads, now) {
  const d = scoreManyRaw(rubric, leads, now);
  const out = new Array(d.length / 6);
  for (let i = 0, j = 0; j < d.length; i++, j += 6) {
    out[i] = {
      fit: d[j], engagement: d[j + 1], total: d[j + 2], knockedOut: d[j + 3] !== 0,
      knockoutIndex: d[j + 4], missingCount: d[j + 5],
    };
  }
  return out;
}

function decide(rubric, policy, lead, now) {
  return native.decide(handleOf(rubric, Rubric, 'rubric'), handleOf(policy, Policy, 'policy'),
                       handleOf(lead, Lead, 'lead'), now);
}

function explain(rubric, lead, now) {
  return native.explain(handleOf(rubric, Rubric, 'rubric'), handleOf(lead, Lead, 'lead'), now);
}

/* {attribute, gain} or null when no fit attribute is missing. */
function nextQuestion(rubric, lead) {
  return native.nextQuestion(handleOf(rubric, Rubric, 'rubric'), handleOf(lead, Lead, 'lead'));
}

function sla(policy, lead, now) {
  return native.sla(handleOf(policy, Policy, 'policy'), handleOf(lead, Lead, 'lead'), now);
}

/* Index into reps of the rep chosen, or null when nobody can take it. */
function route(policy, lead, reps, now) {
  return native.route(handleOf(policy, Policy, 'policy'), handleOf(lead, Lead, 'lead'), reps, now);
}

function calibrate(rubric, leads, now, dimension, capacity) {
  return native.calibrate(handleOf(rubric, Rubric, 'rubric'), leadKeys(leads), now, dimension,
                          capacity);
}

/* A rubric text with one fit criterion per attribute, learned from the
 * leads whose outcome converted[i] is true (won) or false; options
 * {maxValues, bins, minCount, scale (milli-points)}, each 0 or left out for
 * the library's default. */
function learnRubric(leads, converted, attributes, name, options) {
  return native.learnRubric(leadKeys(leads), converted, attributes, name, options);
}

/* What can be proved about a rubric, a policy or both ({rubric, policy},
 * either left out): [{severity, source, line, code, message}], rubric
 * lines first, then policy lines; line 0 when not about a line. */
function lint(definitions) {
  if (definitions === null || typeof definitions !== 'object' || definitions instanceof Native) {
    const got = definitions === null ? 'null'
      : typeof definitions === 'object' ? `a ${definitions.constructor.name}` : typeof definitions;
    throw new TypeError(`lint() takes {rubric, policy}, got ${got}`);
  }
  const { rubric, policy } = definitions;
  return native.lint(rubric == null ? null : handleOf(rubric, Rubric, 'rubric'),
                     policy == null ? null : handleOf(policy, Policy, 'policy'));
}

/* Epoch seconds from leadgate's time text (or decimal epoch seconds). */
const parseTime = (text) => native.parseTime(text);
/* 'YYYY-MM-DDTHH:MM:SSZ' from a time. */
const formatTime = (t) => native.formatTime(t);
/* A Date from epoch seconds (null stays null: "never"). */
const toDate = (seconds) => (seconds === null ? null : new Date(Number(seconds) * 1000));

module.exports = {
  LeadgateError, Rubric, Policy, Calendar, Lead, Stats,
  score, scoreMany, decide, explain, nextQuestion, sla, route, calibrate, learnRubric,
  lint,
  parseTime, formatTime, toDate,
  libraryVersion: native.libraryVersion,
  _native: native,
  _scoreManyRaw: scoreManyRaw,
};
