'use strict';
// The JavaScript API on small definitions whose answers are worked out by
// hand in the comments.
const test = require('node:test');
const assert = require('node:assert/strict');
const lg = require('..');

const MON = 1767571200; // 2026-01-05T00:00:00Z, a Monday
const H = 3600;
const D = 86400;

const RUBRIC = `rubric "t"
fit "need" from need
  when "high" -> 3
  when "medium" -> 2.5
  missing -> -1
fit "size" from employees
  when >= 100 -> 2
  otherwise -> 0.5
engagement "demo" on demo_requested -> 25 expire 30d
engagement "content" on content_download -> 2 each max 5 half-life 14d
knockout "student" when persona is "student"
`;

const POLICY = `policy "p"
qualify when fit >= 4 and event demo_requested within 30d
grade "A" when fit >= 5
grade "B"
follow-up within 24h
  warn at 50%
  reassign at 24h max 1
  recycle at 48h
route least-loaded
`;

const now = MON + 10 * D;

// need high (3) + employees 250 (2) = fit 5 points; demo a day old (25,
// not expired) + three content downloads at `now` (3 x 2 = 6, capped at 5)
// = engagement 30; the download after `now` is ignored.
function leadA() {
  return new lg.Lead('A', { need: 'High', employees: 250 }, [
    ['demo_requested', now - D],
    ['content_download', now],
    ['content_download', new Date(now * 1000)],
    ['content_download', BigInt(now)],
    ['content_download', now + 1],
  ]);
}

// need missing (-1) + 5 employees (otherwise 0.5) = fit -0.5; a student:
// knocked out by the first knockout.
function leadB() {
  return new lg.Lead('B', { employees: 5, persona: 'student' });
}

test('score: fit, engagement, total in milli-points', () => {
  const r = new lg.Rubric(RUBRIC);
  assert.deepEqual(lg.score(r, leadA(), now), {
    fit: 5000, engagement: 30000, total: 35000, knockedOut: false, knockoutIndex: -1, missingCount: 0,
  });
  assert.deepEqual(lg.score(r, leadB(), now), {
    fit: -500, engagement: 0, total: -500, knockedOut: true, knockoutIndex: 0, missingCount: 1,
  });
});

test('scoreMany gives what score gives, lead by lead', () => {
  const r = new lg.Rubric(RUBRIC);
  const leads = [leadA(), leadB(), leadA()];
  assert.deepEqual(lg.scoreMany(r, leads, now), leads.map((l) => lg.score(r, l, now)));
  assert.deepEqual(lg.scoreMany(r, [], now), []);
});

test('decide: verdict, stage, grade, reason, fingerprints', () => {
  const r = new lg.Rubric(RUBRIC);
  const p = new lg.Policy(POLICY);
  const a = lg.decide(r, p, leadA(), now);
  assert.equal(a.verdict, 'mql');
  assert.equal(a.stage, 'mql');
  assert.equal(a.grade, 'A');
  assert.equal(a.reason, 'fit >= 4 and event demo_requested within 30d');
  assert.equal(a.total, 35000);
  assert.equal(a.rubricFingerprint, r.fingerprint);
  assert.equal(a.policyFingerprint, p.fingerprint);
  assert.match(a.rubricFingerprint, /^[0-9a-f]{16}$/);
  assert.ok(a.nextAt === null || (Number.isInteger(a.nextAt) && a.nextAt > now));
  const b = lg.decide(r, p, leadB(), now);
  assert.equal(b.verdict, 'disqualify');
  assert.equal(b.stage, 'disqualified');
  assert.equal(b.grade, 'B');
  assert.equal(b.reason, 'knockout "student"');
  // fit 5 but no demo: nurture, with the failing part as the reason
  const c = new lg.Lead('C', { need: 'high', employees: 100 });
  const dc = lg.decide(r, p, c, now);
  assert.equal(dc.verdict, 'nurture');
  assert.equal(dc.stage, 'nurture');
  assert.equal(dc.reason, 'event demo_requested within 30d');
});

test('decide: nextAt is no later than the next change', () => {
  const r = new lg.Rubric(RUBRIC);
  const p = new lg.Policy(POLICY);
  const a = leadA();
  const d = lg.decide(r, p, a, now);
  // the demo (a day old) leaves the 30-day window 29 days from now: the
  // lead is a nurture from now + 29d + 1s
  const change = now + 29 * D + 1;
  assert.equal(lg.decide(r, p, a, change).verdict, 'nurture');
  assert.equal(lg.decide(r, p, a, change - 1).verdict, 'mql');
  assert.ok(Number.isInteger(d.nextAt) && d.nextAt > now && d.nextAt <= change, String(d.nextAt));
  assert.equal(lg.decide(r, p, a, d.nextAt - 1).verdict, 'mql');
});

test('explain: one item per criterion, in rubric order', () => {
  const r = new lg.Rubric(RUBRIC);
  assert.deepEqual(lg.explain(r, leadA(), now), [
    { criterion: 'need', attribute: 'need', kind: 'fit', missing: false, points: 3000, maxPoints: 3000 },
    { criterion: 'size', attribute: 'employees', kind: 'fit', missing: false, points: 2000, maxPoints: 2000 },
    { criterion: 'demo', attribute: 'demo_requested', kind: 'engagement', missing: false, points: 25000, maxPoints: 25000 },
    { criterion: 'content', attribute: 'content_download', kind: 'engagement', missing: false, points: 5000, maxPoints: 5000 },
    { criterion: 'student', attribute: 'persona', kind: 'knockout', missing: true, points: 0, maxPoints: 1000 },
  ]);
});

test('nextQuestion: the missing attribute worth most, or null', () => {
  const r = new lg.Rubric(RUBRIC);
  // need: best 3 minus the missing outcome -1 = 4 points
  assert.deepEqual(lg.nextQuestion(r, leadB()), { attribute: 'need', gain: 4000 });
  assert.equal(lg.nextQuestion(r, leadA()), null);
});

test('sla: the clock, its steps and recorded actions', () => {
  const p = new lg.Policy(POLICY);
  const t0 = MON + 2 * D;
  const l = new lg.Lead('S');
  assert.deepEqual(lg.sla(p, l, t0), {
    state: 'none', action: 'none', startedAt: 0, dueAt: 0, nextAt: null, elapsed: 0, remaining: 0,
    reassignments: 0, tier: -1,
  });
  l.assign('ana', t0);
  assert.deepEqual(lg.sla(p, l, t0 + 6 * H), {
    state: 'running', action: 'none', startedAt: t0, dueAt: t0 + 24 * H, nextAt: t0 + 12 * H,
    elapsed: 6 * H, remaining: 18 * H, reassignments: 0, tier: 0,
  });
  const warned = lg.sla(p, l, t0 + 13 * H);
  assert.equal(warned.state, 'warning');
  assert.equal(warned.action, 'warn');
  assert.equal(warned.nextAt, t0 + 24 * H);
  l.recordAction('warn', t0 + 13 * H);
  assert.equal(lg.sla(p, l, t0 + 13 * H).action, 'none');
  const late = lg.sla(p, l, t0 + 25 * H);
  assert.equal(late.state, 'breached');
  assert.equal(late.action, 'reassign');
  assert.equal(late.remaining, -1 * H);
  assert.equal(late.nextAt, t0 + 48 * H);
  l.touch(t0 + 26 * H);
  const met = lg.sla(p, l, t0 + 27 * H);
  assert.equal(met.state, 'met_late');
  assert.equal(met.nextAt, null);
  l.assign('bob', t0 + 30 * H);
  assert.equal(lg.sla(p, l, t0 + 31 * H).reassignments, 1);
});

test('lead: attributes, events, assignments, stage read back', () => {
  const l = new lg.Lead('L-1', { zeta: true, alpha: 'x', big: 2n ** 62n, n: -7 });
  l.set('beta', 3).addEvent('visit', MON + 5).addEvent('call', MON);
  assert.equal(l.id, 'L-1');
  assert.deepEqual(l.attrs, { alpha: 'x', beta: 3, big: 2n ** 62n, n: -7, zeta: true });
  assert.deepEqual(l.events, [['call', MON], ['visit', MON + 5]]);
  assert.equal(l.get('big'), 2n ** 62n);
  assert.equal(l.get('nope'), undefined);
  assert.equal(l.unset('alpha'), true);
  assert.equal(l.unset('alpha'), false);
  assert.equal(l.stage, 'new');
  l.setStage('mql', MON).setStage('sal', new Date((MON + 1) * 1000));
  assert.equal(l.stage, 'sal');
  assert.throws(() => l.setStage('won', MON + 2), { name: 'LeadgateError', status: 'LG_ERR_STATE' });
  assert.equal(l.owner, null);
  l.assign('ana', MON).touch(MON + 60).assign('bob', MON + 100);
  assert.equal(l.owner, 'bob');
  assert.deepEqual(l.assignments, [
    { owner: 'ana', at: MON, touchedAt: MON + 60 },
    { owner: 'bob', at: MON + 100, touchedAt: null },
  ]);
  assert.throws(() => l.assign('cy', MON), { status: 'LG_ERR_STATE' });
  const c = l.clone();
  l.set('alpha', 'changed');
  assert.equal(c.get('alpha'), undefined);
  assert.deepEqual(c.toJSON().assignments, l.assignments);
});

test('calendar: add, between, isOpen, nextOpen', () => {
  const cal = new lg.Calendar('utc-offset +00:00\nhours mon-fri 09:00-17:00\n');
  // Monday 16:00 plus 2 open hours: one on Monday, one from Tuesday 09:00
  assert.equal(cal.add(MON + 16 * H, 2 * H), MON + D + 10 * H);
  assert.equal(cal.add(new Date((MON + 16 * H) * 1000), 0), MON + 16 * H);
  assert.equal(cal.between(MON, MON + D), 8 * H);
  assert.equal(cal.between(MON + D, MON), 0);
  assert.equal(cal.isOpen(MON + 9 * H), true);
  assert.equal(cal.isOpen(MON + 9 * H - 1), false);
  assert.equal(cal.nextOpen(MON + 5 * D), MON + 7 * D + 9 * H); // Saturday -> next Monday
  assert.equal(new lg.Calendar('').nextOpen(MON), null);
  assert.match(cal.toText(), /hours mon-fri 09:00-17:00/);
  assert.throws(() => cal.add(MON, -1), { name: 'LeadgateError', status: 'LG_ERR_RANGE' });
  // a policy without a calendar block is always open
  const pc = new lg.Policy(POLICY).calendar;
  assert.equal(pc.between(MON, MON + D), D);
});

test('route: least loaded, previous holders last, null when nobody can', () => {
  const p = new lg.Policy(POLICY);
  const l = new lg.Lead('R');
  const reps = [{ id: 'ana', openLeads: 5, capacity: 10 }, { id: 'bob', openLeads: 1, capacity: 10 }];
  assert.equal(lg.route(p, l, reps, MON), 1);
  l.assign('bob', MON);
  assert.equal(lg.route(p, l, reps, MON), 0);
  assert.equal(lg.route(p, l, reps.map((r) => ({ ...r, available: false })), MON), null);
  assert.equal(lg.route(p, l, [], MON), null);
  assert.throws(() => lg.route(p, l, [reps[0], { id: 'cy', weight: 0 }], MON),
                { name: 'LeadgateError', status: 'LG_ERR_INVALID', index: 1 });
});

test('Stats: per-rep compliance', () => {
  const p = new lg.Policy(POLICY);
  const t0 = MON;
  const a = new lg.Lead('a').assign('ana', t0).touch(t0 + H);
  const b = new lg.Lead('b').assign('bob', t0);
  const s = new lg.Stats(p).add(a, t0 + 30 * H).add(b, t0 + 30 * H);
  assert.deepEqual(s.reps(), [
    { rep: 'ana', assigned: 1, touched: 1, touchedInSla: 1, breached: 0, openOverdue: 0, medianResponse: H, p90Response: H },
    { rep: 'bob', assigned: 1, touched: 0, touchedInSla: 0, breached: 1, openOverdue: 1, medianResponse: 0, p90Response: 0 },
  ]);
  // rates 1 and 0 against attainment 2 and 1: perfectly correlated
  assert.equal(s.correlation(['ana', 'bob'], [2, 1]), 1);
  assert.throws(() => s.correlation(['ana', 'zed'], [2, 1]), { status: 'LG_ERR_NOT_FOUND' });
  assert.equal(s.policy, p);
});

test('calibrate: capacity-aware thresholds', () => {
  const r = new lg.Rubric(RUBRIC);
  // fit scores 5000 (A) and 3000 (C); B is knocked out and does not count
  const c = new lg.Lead('C', { need: 'medium', employees: 5 });
  const leads = [leadA(), leadB(), c];
  assert.deepEqual(lg.calibrate(r, leads, now, 'fit', 1), { threshold: 3001, count: 1 });
  assert.deepEqual(lg.calibrate(r, leads, now, 'fit', 5), { threshold: 3000, count: 2 });
  assert.deepEqual(lg.calibrate(r, [], now, 'total', 1), { threshold: 0, count: 0 });
});

test('definitions: name, fingerprint, canonical text, inputs', () => {
  const r = new lg.Rubric(RUBRIC);
  assert.equal(r.name, 't');
  assert.equal(r.maxFit, 5000);
  const again = new lg.Rubric(`# comment\n${r.toText()}`);
  assert.equal(again.fingerprint, r.fingerprint);
  assert.deepEqual(r.inputs.map((i) => [i.name, i.kind, i.type]), [
    ['need', 'attribute', 'text'], ['employees', 'attribute', 'int'],
    ['persona', 'attribute', 'text'], ['demo_requested', 'event', null], ['content_download', 'event', null],
  ]);
  const p = new lg.Policy(POLICY);
  assert.equal(p.name, 'p');
  assert.match(p.toText(), /^policy "p"\n/);
  assert.deepEqual(p.inputs, [{ name: 'demo_requested', kind: 'event', type: null }]);
});

test('parse errors are LeadgateError with status, line and column', () => {
  assert.throws(() => new lg.Rubric('rubric "x"\nfit "a" from a\n  when "x" 3\n'), {
    name: 'LeadgateError', status: 'LG_ERR_SYNTAX', line: 3, column: 12,
  });
  assert.throws(() => new lg.Rubric('rubric "x"\nfit "a" from a\n  when "x" 3\n'),
                (e) => e instanceof lg.LeadgateError && e instanceof Error && /line 3, column 12: expected/.test(e.message));
  assert.throws(() => new lg.Policy('policy "p"\nqualify when fit >>= 3\n'), { status: 'LG_ERR_SYNTAX', line: 2 });
  assert.throws(() => new lg.Calendar('hours mon 25:00-26:00\n'), { status: 'LG_ERR_SYNTAX', line: 1 });
});

test('times: parse and format', () => {
  assert.equal(lg.parseTime('2026-01-05T01:00:00+01:00'), MON);
  assert.equal(lg.parseTime('1767571200'), MON);
  assert.equal(lg.formatTime(MON), '2026-01-05T00:00:00Z');
  assert.equal(lg.formatTime(new Date(MON * 1000 + 999)), '2026-01-05T00:00:00Z');
  assert.deepEqual(lg.toDate(MON), new Date('2026-01-05T00:00:00Z'));
  assert.equal(lg.toDate(null), null);
  assert.throws(() => lg.parseTime('2026-13-01T00:00:00Z'), { name: 'LeadgateError' });
});

test('close(): later use throws, closing twice is fine, dependents keep what they need', () => {
  const r = new lg.Rubric(RUBRIC);
  const l = leadA();
  r.close();
  r.close();
  assert.equal(r.closed, true);
  assert.throws(() => lg.score(r, l, now), { name: 'LeadgateError', status: 'LG_ERR_STATE', message: /closed/ });
  assert.throws(() => r.toText(), { status: 'LG_ERR_STATE' });
  l.close();
  assert.throws(() => l.attrs, { status: 'LG_ERR_STATE' });
  // a Stats and a policy's calendar keep the policy's data alive
  const p = new lg.Policy(POLICY);
  const cal = p.calendar;
  const s = new lg.Stats(p);
  p.close();
  assert.throws(() => lg.sla(p, new lg.Lead('x'), now), { status: 'LG_ERR_STATE' });
  assert.equal(cal.between(MON, MON + H), H);
  s.add(new lg.Lead('y').assign('ana', MON), MON + H);
  assert.equal(s.reps().length, 1);
  s.close();
  cal.close();
  assert.throws(() => cal.isOpen(MON), { status: 'LG_ERR_STATE' });
  if (Symbol.dispose) {
    const d = new lg.Lead('disposed');
    d[Symbol.dispose]();
    assert.equal(d.closed, true);
  }
});

test('finalizers free what is not closed, in any order', async () => {
  const v8 = require('node:v8');
  const vm = require('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const inUse = lg._native._handlesInUse;
  // finalizers run soon after a collection, not during it
  const collect = async (until = () => false) => {
    for (let i = 0; i < 20 && !until(); i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await collect();
  const base = inUse();
  // closed objects give their handles back once collected; so do the
  // others, dependents (a Stats, a calendar) before and after their policy
  (() => {
    for (let i = 0; i < 1000; i++) new lg.Lead(`c${i}`, { need: 'high' }).close();
    for (let i = 0; i < 1000; i++) new lg.Lead(`g${i}`, { need: 'high' });
    const p = new lg.Policy(POLICY);
    const s = new lg.Stats(p);
    const c = p.calendar;
    p.close();
    s.add(new lg.Lead('q').assign('ana', MON), MON + 1);
    c.isOpen(MON);
  })();
  assert.ok(inUse() > base);
  await collect(() => inUse() === base);
  assert.equal(inUse(), base);
  let keep = null;
  for (let round = 0; round < 3; round++) {
    const p = new lg.Policy(POLICY);
    keep = new lg.Stats(p); // the Stats outlives the policy object
    for (let i = 0; i < 2000; i++) new lg.Lead(`g${i}`, { need: 'high' }, [['visit', MON]]);
    const cal = p.calendar;
    cal.isOpen(MON);
  }
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  keep.add(new lg.Lead('z').assign('ana', MON), MON + 1);
  assert.equal(keep.reps()[0].rep, 'ana');
});

test('scoreMany and calibrate pass leads by key; stale and forged keys are refused', async () => {
  const v8 = require('node:v8');
  const vm = require('node:vm');
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const n = lg._native;
  const r = n.rubricParse(RUBRIC);
  let raw = n.leadNew('k', { need: 'high' }, null);
  const key = n.leadKey(raw);
  assert.deepEqual(Array.from(n.scoreMany(r, new Float64Array([key, key]), now)),
                   [3000, 0, 3000, 0, -1, 1, 3000, 0, 3000, 0, -1, 1]);
  for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 52, key + 2 ** 32, key + 1e6]) {
    assert.throws(() => n.scoreMany(r, new Float64Array([key, bad]), now),
                  { name: 'TypeError', message: /leads\[1\] must be a Lead, got a number/ }, String(bad));
  }
  assert.throws(() => n.scoreMany(r, new Int32Array([key]), now), { name: 'TypeError', message: /leads must be an Array of Lead/ });
  assert.throws(() => n.scoreMany(r, [raw, n.rubricParse(RUBRIC)], now), { name: 'TypeError', message: /leads\[1\]/ });
  n.close(raw);
  assert.throws(() => n.scoreMany(r, new Float64Array([key]), now), { name: 'LeadgateError', status: 'LG_ERR_STATE' });
  // once collected, its place goes to the next lead, under a new key
  raw = null;
  const refused = () => {
    try {
      n.scoreMany(r, new Float64Array([key]), now);
    } catch (e) {
      return e instanceof TypeError;
    }
    return false;
  };
  for (let i = 0; i < 20 && !refused(); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.throws(() => n.scoreMany(r, new Float64Array([key]), now), { name: 'TypeError' });
  const again = n.leadNew('k2', null, null);
  const key2 = n.leadKey(again);
  assert.notEqual(key2, key);
  assert.throws(() => n.calibrate(r, new Float64Array([key]), now, 'fit', 1), { name: 'TypeError' });
  assert.deepEqual(n.calibrate(r, new Float64Array([key2]), now, 'fit', 1), { threshold: -1000, count: 1 });
});

test('the addon checks struct sizes against the library at load', () => {
  const n = lg._native;
  const sizes = n._compiledSizes;
  assert.equal(n._sizeMismatch(sizes), null);
  const bad = sizes.slice();
  bad[5] += 8; // lg_decision
  assert.match(n._sizeMismatch(bad), /lg_decision is \d+ bytes but this addon was compiled for \d+/);
  assert.match(n._sizeMismatch([]), /lg_error is 0 bytes/);
  assert.equal(sizes[9], 208); // lg_finding: 4 x 4 + 32 + 160
  assert.equal(sizes[10], 24); // lg_learn_options: 4 x 4 + 8
  const learn = sizes.slice();
  learn[10] = 32;
  assert.match(n._sizeMismatch(learn), /lg_learn_options is 32 bytes but this addon was compiled for 24/);
  assert.equal(typeof lg.libraryVersion, 'string');
});
