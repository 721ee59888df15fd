'use strict';
// learnRubric and lead.snooze, with expected values worked out by hand
// (or, for the sample, the text leadgate-learn writes for the same leads).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lg = require('..');

const DATA = path.join(__dirname, '..', '..', 'data');
const MON = 1767571200; // 2026-01-05T00:00:00Z
const H = 3600;

/* Rows of an RFC 4180 CSV text ("" escapes a quote inside quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

function records(file) {
  const [head, ...rows] = parseCsv(fs.readFileSync(path.join(DATA, file), 'utf8'));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

const SAMPLE_ATTRIBUTES = ['need', 'timeframe_months', 'role', 'industry', 'persona', 'employees',
                           'email_opt_in'];

// examples/data's leads that have an outcome, typed as leadgate-learn types
// a column: int when every non-empty cell is a whole number, bool when
// every one is true or false, else text; an empty cell is missing.
function sampleLeads() {
  const outcome = new Map(records('outcomes.csv').map((r) => [r.id, r.converted === '1']));
  const rows = records('leads.csv').filter((r) => outcome.has(r.id));
  const typed = {};
  for (const a of SAMPLE_ATTRIBUTES) {
    const cells = rows.map((r) => r[a]).filter((c) => c !== '');
    if (cells.every((c) => /^[+-]?[0-9]+$/.test(c))) typed[a] = (c) => Number(c);
    else if (cells.every((c) => /^(true|false)$/i.test(c))) typed[a] = (c) => c.toLowerCase() === 'true';
    else typed[a] = (c) => c;
  }
  const leads = rows.map((r) => new lg.Lead(r.id, Object.fromEntries(
    SAMPLE_ATTRIBUTES.filter((a) => r[a] !== '').map((a) => [a, typed[a](r[a])]))));
  return { leads, converted: rows.map((r) => outcome.get(r.id)) };
}

// 20 leads: converted, 8 opted in and 2 not; not converted, 2 and 8.
function optInLeads() {
  const leads = [];
  for (let i = 0; i < 10; i++) leads.push(new lg.Lead(`w${i}`, { opt: i < 8 }));
  for (let i = 0; i < 10; i++) leads.push(new lg.Lead(`l${i}`, { opt: i < 2 }));
  return { leads, converted: leads.map((_, i) => i < 10) };
}

test('learnRubric: the sample gives leadgate-learn\'s rubric byte for byte', () => {
  const { leads, converted } = sampleLeads();
  assert.equal(leads.length, 300);
  assert.equal(converted.filter(Boolean).length, 101);
  const text = lg.learnRubric(leads, converted, SAMPLE_ATTRIBUTES, 'learned', { minCount: 5 });
  // what ctest example_learn_sample checks the program writes
  assert.equal(text, fs.readFileSync(path.join(DATA, 'expected', 'learned.rubric'), 'utf8'));
  const r = new lg.Rubric(text);
  assert.equal(r.name, 'learned');
  assert.deepEqual(r.inputs.map((i) => i.name), SAMPLE_ATTRIBUTES);
  // the order of the leads does not matter; 0/1 outcomes are booleans
  const order = leads.map((_, i) => i).reverse();
  assert.equal(lg.learnRubric(order.map((i) => leads[i]), order.map((i) => (converted[i] ? 1 : 0)),
                              SAMPLE_ATTRIBUTES, 'learned', { minCount: 5, bins: 0 }), text);
});

test('learnRubric: points are the weight of evidence', () => {
  // k = 4 buckets (true, false, otherwise, missing), 10 won, 10 lost:
  //   true:  log2(((8 + 1) / 14) / ((2 + 1) / 14)) = log2 3 = 1.58496 -> 1585
  //   false: -log2 3 -> -1585; otherwise, missing: log2(1) = 0
  const { leads, converted } = optInLeads();
  const text = lg.learnRubric(leads, converted, ['opt'], 'hand');
  assert.match(text, /^rubric "hand"\n/);
  const r = new lg.Rubric(text);
  const fit = (attrs) => lg.score(r, new lg.Lead('t', attrs), MON).fit;
  assert.equal(fit({ opt: true }), 1585);
  assert.equal(fit({ opt: false }), -1585);
  assert.equal(fit({}), 0);
  assert.equal(fit({ opt: 'maybe' }), 0);
  assert.equal(lg.learnRubric(leads, converted, ['opt'], 'hand', null), text);
  // scale 2500 milli-points: 2500 x 1.5849625 = 3962.4 -> 3962
  const scaled = new lg.Rubric(lg.learnRubric(leads, converted, ['opt'], 's', { scale: 2500 }));
  assert.equal(lg.score(scaled, new lg.Lead('t', { opt: true }), MON).fit, 3962);
});

test('learnRubric: a long text grows the buffer', () => {
  const value = (i) => `a-rather-long-value-for-the-buffer-${String(i).padStart(3, '0')}-${'x'.repeat(100)}`;
  const leads = [];
  for (let i = 0; i < 300; i++) leads.push(new lg.Lead(`v${i}`, { v: value(i) }));
  const text = lg.learnRubric(leads, leads.map((_, i) => i % 2 === 0), ['v'], 'long',
                              { maxValues: 256, minCount: 1 });
  assert.ok(text.length > 256 * 140);
  assert.equal(text.split('\n  when ').length - 1, 256);
  assert.equal(new lg.Rubric(text).name, 'long');
});

test('learnRubric: bad arguments', () => {
  const { leads, converted } = optInLeads();
  const learn = (...a) => () => lg.learnRubric(...a);
  const typeError = { name: 'TypeError' };
  const rangeError = { name: 'RangeError' };
  const invalid = (re, index = null) => ({ name: 'LeadgateError', status: 'LG_ERR_INVALID', message: re, index });
  assert.throws(learn(leads[0], converted, ['opt'], 'x'), typeError);
  assert.throws(learn([...leads, 'x'], [...converted, true], ['opt'], 'x'), { name: 'TypeError', message: /leads\[20\]/ });
  assert.throws(learn(leads, converted.slice(1), ['opt'], 'x'), { name: 'RangeError', message: /one outcome per lead/ });
  assert.throws(learn(leads, 'x'.repeat(20), ['opt'], 'x'), typeError);
  assert.throws(learn(leads, [...converted.slice(1), 2], ['opt'], 'x'), { name: 'RangeError', message: /converted\[19\]/ });
  assert.throws(learn(leads, [...converted.slice(1), 0.5], ['opt'], 'x'), rangeError);
  assert.throws(learn(leads, [...converted.slice(1), '1'], ['opt'], 'x'), { name: 'TypeError', message: /converted\[19\]/ });
  assert.throws(learn(leads, [...converted.slice(1), null], ['opt'], 'x'), typeError);
  assert.throws(learn(leads, converted, 'opt', 'x'), typeError);
  assert.throws(learn(leads, converted, ['opt', 3], 'x'), { name: 'TypeError', message: /attributes\[1\]/ });
  assert.throws(learn(leads, converted, ['op\0t'], 'x'), { name: 'RangeError', message: /NUL/ });
  assert.throws(learn(leads, converted, ['\uD800'], 'x'), { name: 'RangeError', message: /surrogate/ });
  assert.throws(learn(leads, converted, ['opt']), typeError);
  assert.throws(learn(leads, converted, ['opt'], 'x', 5), typeError);
  assert.throws(learn(leads, converted, ['opt'], 'x', [1]), typeError);
  assert.throws(learn(leads, converted, ['opt'], 'x', { bins: -1 }), { name: 'RangeError', message: /options\.bins/ });
  assert.throws(learn(leads, converted, ['opt'], 'x', { maxValues: 2 ** 32 }), rangeError);
  assert.throws(learn(leads, converted, ['opt'], 'x', { minCount: 1.5 }), rangeError);
  assert.throws(learn(leads, converted, ['opt'], 'x', { scale: '1000' }), typeError);
  // what the library refuses
  assert.throws(learn(leads, converted, [], 'x'), invalid(/no attributes/));
  assert.throws(learn(leads, converted, ['opt', 'opt'], 'x'), invalid(/'opt' is given twice/, 1));
  assert.throws(learn(leads, converted, ['opt', 'bad name'], 'x'), invalid(/attributes\[1\]/, 1));
  assert.throws(learn(leads, converted, [''], 'x'), invalid(/attributes\[0\]/, 0));
  for (const name of ['', 'n'.repeat(65), 'tab\there'])
    assert.throws(learn(leads, converted, ['opt'], name), invalid(/rubric name/));
  for (const options of [{ bins: 257 }, { maxValues: 257 }, { scale: 1000001 }, { scale: -1 }])
    assert.throws(learn(leads, converted, ['opt'], 'x', options), invalid(/out of range/));
  assert.throws(learn(leads.slice(1), converted.slice(1), ['opt'], 'x'),
                { status: 'LG_ERR_RANGE', message: /\(got 9 and 10\)/ });
  assert.throws(learn([], [], ['opt'], 'x'), { status: 'LG_ERR_RANGE' });
  const many = [];
  for (let i = 0; i < 1025; i++) many.push(`a${i}`);
  assert.throws(learn(leads, converted, many, 'x'), { status: 'LG_ERR_LIMIT', message: /1025 attributes/ });
  assert.throws(learn(leads, converted, new Array(2 ** 32 - 1), 'x'), { status: 'LG_ERR_LIMIT' });
  assert.throws(learn(leads, new Array(2 ** 32 - 1), ['opt'], 'x'), rangeError);
  // the lower half of 0, 10^15, ..., 19 x 10^15 ends at 9 x 10^15: not a rubric number
  const big = [];
  for (let i = 0; i < 20; i++) big.push(new lg.Lead(`b${i}`, { n: BigInt(i) * 10n ** 15n }));
  assert.throws(learn(big, big.map((_, i) => i % 2 === 0), ['n'], 'x', { bins: 2 }),
                { status: 'LG_ERR_RANGE', message: /10\^15/ });
  leads[3].close();
  assert.throws(learn(leads, converted, ['opt'], 'x'), { status: 'LG_ERR_STATE' });
});

// A wall-clock follow-up (no calendar): 24 h from the assignment.
const WALL = 'policy "wall"\nqualify when fit >= 4\nfollow-up within 24h\n  warn at 50%\n';

test('snooze: the deadline moves by exactly the snoozed time', () => {
  const p = new lg.Policy(WALL);
  const t0 = MON + 8 * H;
  const l = new lg.Lead('z');
  assert.throws(() => l.snooze(t0, t0 + H), { status: 'LG_ERR_STATE' }); // not assigned
  l.assign('ana', t0);
  assert.equal(lg.sla(p, l, t0 + H).dueAt, t0 + 24 * H);
  // 3 h paused from 02:00 to 05:00 after the assignment: due 3 h later;
  // remaining is the target less the (unsnoozed) elapsed time
  assert.equal(l.snooze(t0 + 2 * H, new Date((t0 + 5 * H) * 1000)), l);
  let s = lg.sla(p, l, t0 + H);
  assert.equal(s.dueAt, t0 + 27 * H);
  assert.equal(s.remaining, 23 * H);
  // at 06:00: 6 h on the wall, 3 of them snoozed
  assert.equal(lg.sla(p, l, t0 + 6 * H).elapsed, 3 * H);
  // an overlapping snooze (04:00-07:00) merges: 02:00-07:00, 5 h
  l.snooze(BigInt(t0 + 4 * H), t0 + 7 * H);
  assert.equal(lg.sla(p, l, t0).dueAt, t0 + 29 * H);
  assert.throws(() => l.snooze(t0 + 9 * H, t0 + 9 * H), { status: 'LG_ERR_RANGE' });
  assert.throws(() => l.snooze(t0 + 9 * H, t0 + 8 * H), { status: 'LG_ERR_RANGE' });
  assert.throws(() => l.snooze(t0 - H, t0 + H), { status: 'LG_ERR_STATE' });
  assert.throws(() => l.snooze('2026-01-05T09:00:00Z', t0 + 9 * H), { name: 'TypeError', message: /from/ });
  assert.throws(() => l.snooze(t0, 1.5), { name: 'RangeError', message: /until/ });
  assert.throws(() => l.snooze(t0, new Date(NaN)), { name: 'RangeError' });
  assert.throws(() => l.snooze(t0), { name: 'TypeError', message: /until/ });
  assert.throws(() => l.snooze(t0, 2n ** 63n), { name: 'RangeError' });
  s = lg.sla(p, l, t0);
  assert.equal(s.dueAt, t0 + 29 * H);
  assert.equal(lg.sla(p, l.clone(), t0).dueAt, t0 + 29 * H); // clones copy snoozes
  l.close();
  assert.throws(() => l.snooze(t0, t0 + H), { status: 'LG_ERR_STATE' });
});

test('route and correlation with many reps (their ids move as the arrays grow)', () => {
  const p = new lg.Policy('policy "p"\nqualify when fit >= 4\nfollow-up within 24h\nroute least-loaded\n');
  const reps = [];
  for (let i = 0; i < 1000; i++) reps.push({ id: `r${i}`, openLeads: 1, capacity: 2 });
  reps.push({ id: 'idle', capacity: 2 });
  assert.equal(lg.route(p, new lg.Lead('x'), reps, MON), 1000);
  const s = new lg.Stats(p);
  // every other rep follows up at once, the others never (breached at 30 h)
  for (let i = 0; i < 200; i++) {
    const l = new lg.Lead(`s${i}`).assign(`rep${i}`, MON);
    if (i % 2 === 0) l.touch(MON + 1);
    s.add(l, MON + 30 * H);
  }
  const rows = s.reps();
  assert.equal(rows.length, 200);
  // attainment equal to the in-SLA rate (1 or 0): r = 1
  const r = s.correlation(rows.map((x) => x.rep), rows.map((x) => x.touchedInSla));
  assert.ok(Math.abs(r - 1) < 1e-12, `r = ${r}`);
  assert.throws(() => lg.route(p, new lg.Lead('x'), [{ id: 'x'.repeat(300), openLeads: 0.5 }], MON),
                { name: 'RangeError', message: /reps\[0\]\.openLeads/ });
});
