// Type declarations for the leadgate Node.js binding (index.js).
//
// Times in (`TimeInput`) are a Date (milliseconds dropped, rounding down),
// epoch seconds as an integer number, or a BigInt of epoch seconds.  Times
// out are epoch seconds as numbers, and `null` where the library says
// "never" (LG_TIME_NEVER).  Points are integer milli-points (2.5 points is
// 2500) as numbers: exact, since every value the library produces is far
// below 2^53.

/** A Date, epoch seconds (a safe integer) or a BigInt of epoch seconds. */
export type TimeInput = Date | number | bigint;
/** Epoch seconds. */
export type Seconds = number;
/** Integer milli-points: 1 point is 1000. */
export type MilliPoints = number;

export type Verdict = 'nurture' | 'mql' | 'disqualify';
export type Stage = 'new' | 'nurture' | 'mql' | 'sal' | 'sql' | 'opportunity' | 'won' | 'lost' | 'disqualified';
export type Action = 'none' | 'warn' | 'remind' | 'escalate' | 'reassign' | 'recycle';
export type SlaState = 'none' | 'running' | 'warning' | 'breached' | 'met' | 'met_late';
export type Kind = 'fit' | 'engagement' | 'knockout';
export type Dimension = 'fit' | 'engagement' | 'total';
export type Status =
  | 'LG_ERR_NOMEM' | 'LG_ERR_INVALID' | 'LG_ERR_SYNTAX' | 'LG_ERR_NOT_FOUND' | 'LG_ERR_RANGE'
  | 'LG_ERR_LIMIT' | 'LG_ERR_TYPE' | 'LG_ERR_STATE' | 'LG_ERR_BUFFER';

/** An attribute value: text, boolean, or an int64 (safe integer number or BigInt). */
export type AttributeValue = string | boolean | number | bigint;
export type Attributes = Record<string, AttributeValue>;
/** [event type, when]. */
export type EventInput = [type: string, at: TimeInput];

/** What the library refused. */
export class LeadgateError extends Error {
  readonly name: 'LeadgateError';
  /** The lg_status name, e.g. 'LG_ERR_SYNTAX'. */
  readonly status: Status;
  /** 1-based line in a definition's text; 0 when not about a position. */
  readonly line: number;
  /** 1-based column (UTF-8 characters; bytes for a name check); 0 when not about a position. */
  readonly column: number;
  /** The element of an array argument at fault (a rep, an event), or null. */
  readonly index: number | null;
  /** The library's own message, e.g. "expected '->' after match list, got '3'". */
  readonly detail: string;
}

/** Base of every object that holds library memory. */
declare class Native {
  /** Frees the library object now; any later use throws a LeadgateError
   * with status 'LG_ERR_STATE'.  Calling it again does nothing.  Objects
   * not closed are freed when garbage collected. */
  close(): void;
  readonly closed: boolean;
  [Symbol.dispose](): void;
}

export interface Input {
  name: string;
  kind: 'attribute' | 'event';
  /** The value type compared with, or null (presence only, several types, events). */
  type: 'text' | 'int' | 'bool' | null;
}

declare class Definition extends Native {
  readonly name: string;
  /** FNV-1a 64 of the canonical text: 16 lowercase hex digits. */
  readonly fingerprint: string;
  /** Attributes first, then events, each in first-use order. */
  readonly inputs: Input[];
  /** The canonical text. */
  toText(): string;
}

export class Rubric extends Definition {
  /** @throws LeadgateError (status, line, column) when the text does not parse. */
  constructor(text: string);
  /** The best possible fit score. */
  readonly maxFit: MilliPoints;
}

export class Policy extends Definition {
  constructor(text: string);
  /** A new Calendar over the policy's business calendar (always open when
   * the policy has none); it keeps that calendar alive after policy.close(). */
  readonly calendar: Calendar;
}

export class Calendar extends Native {
  /** The lines of a policy's calendar block; '' is never open. */
  constructor(text: string);
  /** The earliest time at which `seconds` (>= 0) of open time have passed since start. */
  add(start: TimeInput, seconds: number | bigint): Seconds;
  /** Open seconds in [a, b); 0 when b <= a. */
  between(a: TimeInput, b: TimeInput): number;
  isOpen(t: TimeInput): boolean;
  /** The earliest open instant at or after t; null if never. */
  nextOpen(t: TimeInput): Seconds | null;
  toText(): string;
}

export interface Assignment {
  owner: string;
  at: Seconds;
  touchedAt: Seconds | null;
}

export class Lead extends Native {
  /** Builds the lead in one call: attributes (leave a key out for a missing
   * attribute), then events.  Nothing is kept if any part is refused. */
  constructor(id: string, attrs?: Attributes | null, events?: EventInput[] | null);
  clone(): Lead;
  set(name: string, value: AttributeValue): this;
  /** false when the attribute was absent. */
  unset(name: string): boolean;
  /** The value (a BigInt only beyond 2^53), or undefined when absent. */
  get(name: string): AttributeValue | undefined;
  addEvent(type: string, at: TimeInput): this;
  /** Starts a new follow-up clock; `at` must not precede the previous assignment. */
  assign(owner: string, at: TimeInput): this;
  /** The first follow-up of the current assignment. */
  touch(at: TimeInput): this;
  /** The host carried out `action` (not 'none') for the current assignment. */
  recordAction(action: Exclude<Action, 'none'>, at: TimeInput): this;
  /** Pauses the current assignment's follow-up clock in [from, until)
   * (from < until, not before the assignment); overlapping snoozes merge,
   * and there is no read-back or undo. */
  snooze(from: TimeInput, until: TimeInput): this;
  setStage(stage: Stage, at: TimeInput): this;
  readonly id: string;
  readonly stage: Stage;
  readonly owner: string | null;
  /** In ascending name order. */
  readonly attrs: Attributes;
  /** In time order. */
  readonly events: [type: string, at: Seconds][];
  readonly assignments: Assignment[];
  toJSON(): { id: string; stage: Stage; owner: string | null; attrs: Attributes; events: [string, Seconds][]; assignments: Assignment[] };
}

export interface Score {
  fit: MilliPoints;
  engagement: MilliPoints;
  total: MilliPoints;
  knockedOut: boolean;
  /** Among knockouts only; -1 when none matched. */
  knockoutIndex: number;
  /** Fit criteria whose attribute is absent. */
  missingCount: number;
}

export interface Decision extends Score {
  verdict: Verdict;
  /** Recommended stage; never moves a lead backwards. */
  stage: Stage;
  /** '' when no grade line holds. */
  grade: string;
  /** Canonical text of the rule that decided. */
  reason: string;
  rubricFingerprint: string;
  policyFingerprint: string;
  /** No later than the next instant at which verdict, grade or stage change
   * if nothing is added to the lead; null when nothing will. */
  nextAt: Seconds | null;
}

export interface Contribution {
  criterion: string;
  attribute: string;
  kind: Kind;
  missing: boolean;
  points: MilliPoints;
  maxPoints: MilliPoints;
}

export interface Question {
  attribute: string;
  gain: MilliPoints;
}

export interface SlaStatus {
  state: SlaState;
  /** Most severe step reached and not yet recorded. */
  action: Action;
  startedAt: Seconds;
  /** null: the deadline is never reached. */
  dueAt: Seconds | null;
  /** When state or action next change; null when never. */
  nextAt: Seconds | null;
  /** Seconds in the rule's basis (business or wall clock). */
  elapsed: number;
  remaining: number;
  reassignments: number;
  /** Index of the follow-up rule; -1 with state 'none'. */
  tier: number;
}

export interface Rep {
  id: string;
  /** Default true. */
  available?: boolean | number;
  /** Default 0. */
  openLeads?: number;
  /** 0 (the default) is unlimited. */
  capacity?: number;
  /** Round-robin weight >= 1; default 1. */
  weight?: number;
  /** null or left out: never assigned. */
  lastAssignedAt?: TimeInput | null;
}

export interface RepStats {
  rep: string;
  assigned: number;
  touched: number;
  touchedInSla: number;
  breached: number;
  openOverdue: number;
  /** Seconds in the rule's basis. */
  medianResponse: number;
  p90Response: number;
}

export class Stats extends Native {
  /** A compliance book under `policy`, which it keeps alive. */
  constructor(policy: Policy);
  readonly policy: Policy;
  add(lead: Lead, now: TimeInput): this;
  /** In ascending rep id order. */
  reps(): RepStats[];
  /** Pearson r between each rep's in-SLA follow-up rate and attainment[i]. */
  correlation(reps: string[], attainment: number[]): number;
}

export function score(rubric: Rubric, lead: Lead, now: TimeInput): Score;
/** One library call for all leads. */
export function scoreMany(rubric: Rubric, leads: Lead[], now: TimeInput): Score[];
export function decide(rubric: Rubric, policy: Policy, lead: Lead, now: TimeInput): Decision;
/** One item per criterion, in rubric order. */
export function explain(rubric: Rubric, lead: Lead, now: TimeInput): Contribution[];
/** null when no fit attribute is missing. */
export function nextQuestion(rubric: Rubric, lead: Lead): Question | null;
export function sla(policy: Policy, lead: Lead, now: TimeInput): SlaStatus;
/** Index into reps of the chosen rep; null when nobody can take the lead.
 * A bad rep is a LeadgateError whose index names it. */
export function route(policy: Policy, lead: Lead, reps: Rep[], now: TimeInput): number | null;
/** The smallest threshold at which at most `capacity` leads not knocked out pass. */
export function calibrate(rubric: Rubric, leads: Lead[], now: TimeInput, dimension: Dimension,
                          capacity: number): { threshold: MilliPoints; count: number };

export interface LearnOptions {
  /** Text values kept per attribute, most frequent first (0 or left out: 16; at most 256). */
  maxValues?: number;
  /** Quantile bins of an integer attribute (0 or left out: 5; at most 256). */
  bins?: number;
  /** A text value seen fewer times counts as `otherwise` (0 or left out: 20). */
  minCount?: number;
  /** Points per doubling of the odds, in milli-points (0 or left out: 1000; at most 1,000,000). */
  scale?: MilliPoints;
}
/** A rubric text (parse it with new Rubric(text)) with one fit criterion
 * per attribute, learned from the leads whose outcome converted[i] is true
 * (won) or false.  At least 10 leads of each outcome ('LG_ERR_RANGE'). */
export function learnRubric(leads: Lead[], converted: (boolean | 0 | 1)[], attributes: string[],
                            name: string, options?: LearnOptions | null): string;

export type Severity = 'info' | 'warning' | 'error';
/** What lint proved about a definition. */
export interface Finding {
  severity: Severity;
  source: 'rubric' | 'policy';
  /** Line in that definition's text; 0 when not about a line. */
  line: number;
  /** Stable identifier, e.g. 'unreachable-qualify'. */
  code: string;
  message: string;
}
/** Lints a rubric, a policy, or the two together (checks that need both
 * run only with both); rubric lines first, then policy lines, each in line
 * order.  Neither given: a LeadgateError 'LG_ERR_INVALID'. */
export function lint(definitions: { rubric?: Rubric | null; policy?: Policy | null }): Finding[];

/** Epoch seconds from 'YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)' or decimal epoch seconds. */
export function parseTime(text: string): Seconds;
/** 'YYYY-MM-DDTHH:MM:SSZ'. */
export function formatTime(t: TimeInput): string;
/** A Date from epoch seconds; null stays null. */
export function toDate(seconds: Seconds | null): Date | null;
/** The linked library's version, e.g. '0.2.0'. */
export const libraryVersion: string;
