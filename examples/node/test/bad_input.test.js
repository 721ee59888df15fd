'use strict';
// Everything a caller can pass wrongly gets a clear exception: TypeError for
// a wrong JavaScript type, RangeError for a value that cannot be passed
// exactly, LeadgateError for what the library refuses.  Never a crash,
// never a silently changed value.
const test = require('node:test');
const assert = require('node:assert/strict');
const lg = require('..');

const MON = 1767571200;
const RUBRIC = 'rubric "t"\nfit "need" from need\n  when "high" -> 3\nengagement "demo" on demo_requested -> 25\n';
const POLICY = 'policy "p"\nfollow-up within 24h\n  warn at 50%\n';
const rubric = new lg.Rubric(RUBRIC);
const policy = new lg.Policy(POLICY);
const lead = () => new lg.Lead('x', { need: 'high' });

const typeError = { name: 'TypeError' };
const rangeError = { name: 'RangeError' };

test('wrong types for definitions', () => {
  for (const bad of [undefined, null, 42, {}, [], Symbol('s'), 1n, () => 'x']) {
    assert.throws(() => new lg.Rubric(bad), typeError);
    assert.throws(() => new lg.Policy(bad), typeError);
    assert.throws(() => new lg.Calendar(bad), typeError);
  }
  assert.throws(() => new lg.Rubric(), { name: 'TypeError', message: /Rubric text must be a string, got undefined/ });
});

test('objects of the wrong class, undefined and null', () => {
  for (const bad of [undefined, null, 1, 'rubric', {}, policy, lead()]) {
    assert.throws(() => lg.score(bad, lead(), MON), typeError);
  }
  for (const bad of [undefined, null, {}, rubric, Object.create(lg.Lead.prototype)]) {
    assert.throws(() => lg.score(rubric, bad, MON), typeError);
    assert.throws(() => lg.sla(policy, bad, MON), typeError);
  }
  assert.throws(() => lg.decide(rubric, rubric, lead(), MON), { name: 'TypeError', message: /policy must be a leadgate Policy/ });
  assert.throws(() => new lg.Stats({}), typeError);
  // the addon checks too, whatever reaches it
  assert.throws(() => lg._native.score({}, {}, MON), typeError);
  assert.throws(() => lg._native.close(null), typeError);
  const raw = lg._native.policyParse(POLICY);
  const rawLead = lg._native.leadNew('x', null, null);
  assert.throws(() => lg._native.score(raw, rawLead, MON), { name: 'TypeError', message: /rubric must be a Rubric, got an external/ });
  assert.throws(() => lg._native.scoreMany(lg._native.rubricParse(RUBRIC), [rawLead, raw], MON),
                { name: 'TypeError', message: /leads\[1\] must be a Lead/ });
  lg._native.close(rawLead);
  lg._native.close(rawLead);
  assert.throws(() => lg._native.leadInfo(rawLead), { name: 'LeadgateError', status: 'LG_ERR_STATE' });
  assert.throws(() => lg._native.scoreMany(lg._native.rubricParse(RUBRIC), [rawLead], MON),
                { name: 'LeadgateError', message: /leads\[0\]: the Lead is closed/ });
});

test('strings with lone surrogates or NUL are refused, not mangled', () => {
  const lone = ['\uD800', 'ab\uDC00', 'x\uDBFFy', '\uDFFF\uD800'];
  for (const s of lone) {
    assert.throws(() => new lg.Rubric(`rubric "${s}"\n`), { name: 'RangeError', message: /lone surrogate/ });
    assert.throws(() => new lg.Lead(s), { name: 'RangeError', message: /lone surrogate/ });
    assert.throws(() => new lg.Lead('x', { role: s }), { name: 'RangeError', message: /attrs\.role.*lone surrogate/ });
    assert.throws(() => new lg.Lead('x', { [s]: 'v' }), { name: 'RangeError', message: /attribute name.*lone surrogate/ });
    assert.throws(() => new lg.Lead('x', {}, [[s, MON]]), rangeError);
    assert.throws(() => lead().assign(s, MON), rangeError);
  }
  // a real U+FFFD and a proper pair are fine
  const l = new lg.Lead('x', { role: '\uFFFD \uD83D\uDE00' });
  assert.equal(l.get('role'), '\uFFFD \uD83D\uDE00');
  assert.throws(() => new lg.Lead('x', { role: 'a\0b' }), { name: 'RangeError', message: /NUL/ });
  // strings around the addon's 256-byte inline buffer arrive whole
  for (let k = 240; k <= 260; k++) {
    for (const tail of ['\u00e9', '\u20ac', '\uD83D\uDE00', '\u20ac\u20ac']) {
      const v = 'a'.repeat(k) + tail;
      assert.equal(new lg.Lead('x', { role: v }).get('role'), v);
      assert.throws(() => new lg.Lead('x', { role: `${v}\uD800` }), rangeError);
    }
  }
  assert.throws(() => new lg.Rubric('rubric "t"\0\n'), { name: 'RangeError', message: /NUL/ });
});

test('integers: no fractions, NaN, infinities or values beyond int64', () => {
  for (const bad of [1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 60), 2n ** 63n, -(2n ** 63n) - 1n]) {
    assert.throws(() => new lg.Lead('x', { n: bad }), rangeError, String(bad));
    assert.throws(() => lead().set('n', bad), rangeError);
  }
  const l = new lg.Lead('x', { a: 2 ** 53 - 1, b: 2n ** 63n - 1n, c: -(2n ** 63n), d: -0 });
  assert.deepEqual([l.get('a'), l.get('b'), l.get('c'), l.get('d')], [2 ** 53 - 1, 2n ** 63n - 1n, -(2n ** 63n), 0]);
  for (const bad of [null, undefined, {}, [], Symbol('s'), () => 1]) {
    assert.throws(() => new lg.Lead('x', { n: bad }), { name: 'TypeError', message: /attrs\.n/ });
  }
});

test('times: invalid Date, NaN, fractions, strings, out of range', () => {
  const l = lead();
  for (const bad of [NaN, 1.5, Infinity, 2 ** 60, new Date('nope'), 2n ** 64n]) {
    assert.throws(() => lg.score(rubric, l, bad), rangeError, String(bad));
    assert.throws(() => l.addEvent('demo_requested', bad), rangeError);
  }
  for (const bad of [undefined, null, '1767571200', {}, [MON], true]) {
    assert.throws(() => lg.score(rubric, l, bad), typeError, String(bad));
    assert.throws(() => new lg.Lead('x', {}, [['visit', bad]]), { name: 'TypeError', message: /events\[0\]\[1\]/ });
  }
  // integral but outside years 0001..9999: the library's range error
  assert.throws(() => lg.score(rubric, l, 2 ** 52), { name: 'LeadgateError', status: 'LG_ERR_RANGE' });
  assert.throws(() => l.addEvent('visit', -(2n ** 62n)), { name: 'LeadgateError', status: 'LG_ERR_RANGE' });
  assert.throws(() => new lg.Calendar('').isOpen(2 ** 52), { status: 'LG_ERR_RANGE' });
  // milliseconds of a Date round down, also before 1970
  l.addEvent('a', new Date(-1500));
  assert.deepEqual(l.events.find((e) => e[0] === 'a'), ['a', -2]);
});

test('events and attributes of the wrong shape', () => {
  for (const bad of [42, 'x', {}, true]) assert.throws(() => new lg.Lead('x', {}, bad), typeError);
  for (const bad of [['visit'], ['visit', MON, 1], 'visit', { type: 'visit', at: MON }, null]) {
    assert.throws(() => new lg.Lead('x', {}, [bad]), { name: 'TypeError', message: /events\[0\]/ });
  }
  assert.throws(() => new lg.Lead('x', {}, [[42, MON]]), { name: 'TypeError', message: /events\[0\]\[0\]/ });
  for (const bad of [42, 'x', [['a', 1]], true]) assert.throws(() => new lg.Lead('x', bad), typeError);
  assert.throws(() => new lg.Lead('x', { 'Bad Name': 1 }),
                { name: 'LeadgateError', status: 'LG_ERR_INVALID', column: 1 });
  assert.throws(() => new lg.Lead('x', { ok_name: 'v' }, [['bad-type', MON]]),
                { name: 'LeadgateError', status: 'LG_ERR_INVALID', index: 0 });
  assert.throws(() => new lg.Lead(''), { name: 'LeadgateError', status: 'LG_ERR_INVALID' });
  assert.throws(() => new lg.Lead('x', { t: 'a'.repeat(1025) }), { status: 'LG_ERR_LIMIT' });
  assert.throws(() => lead().recordAction('shout', MON), { name: 'RangeError', message: /action/ });
  assert.throws(() => lead().setStage('limbo', MON), { name: 'RangeError', message: /stage/ });
  assert.throws(() => lead().setStage(3, MON), typeError);
  assert.throws(() => lead().touch(MON), { name: 'LeadgateError', status: 'LG_ERR_STATE' });
});

test('huge arrays and objects: a clear error, quickly', () => {
  const many = new Array(10001).fill(['visit', MON]);
  assert.throws(() => new lg.Lead('x', {}, many), { name: 'LeadgateError', status: 'LG_ERR_LIMIT', message: /10001 events, at most 10000/ });
  assert.throws(() => new lg.Lead('x', {}, new Array(2 ** 32 - 1)), { status: 'LG_ERR_LIMIT' });
  const attrs = {};
  for (let i = 0; i < 257; i++) attrs[`a${i}`] = i;
  assert.throws(() => new lg.Lead('x', attrs), { status: 'LG_ERR_LIMIT', message: /257 attributes/ });
  assert.throws(() => lg.scoreMany(rubric, new Array(2 ** 32 - 1), MON), { name: 'TypeError', message: /leads\[0\]/ });
  assert.throws(() => lg.scoreMany(rubric, [lead(), 'x'], MON), { name: 'TypeError', message: /leads\[1\]/ });
  assert.throws(() => lg.scoreMany(rubric, 'x', MON), typeError);
  assert.throws(() => lg.route(policy, lead(), new Array(2 ** 32 - 1), MON), { name: 'TypeError', message: /reps\[0\]/ });
  const s = new lg.Stats(policy);
  assert.throws(() => s.correlation(new Array(2 ** 32 - 1), new Array(2 ** 32 - 1)), { name: 'TypeError', message: /attainment\[0\]/ });
  assert.throws(() => s.correlation([], []), { name: 'LeadgateError', status: 'LG_ERR_RANGE' });
  assert.throws(() => lg.calibrate(rubric, new Array(2 ** 32 - 1), MON, 'fit', 1), typeError);
  // a 10,000-event lead is fine
  assert.equal(new lg.Lead('x', {}, new Array(10000).fill(['visit', MON])).events.length, 10000);
});

test('routing and stats arguments', () => {
  const l = lead();
  assert.throws(() => lg.route(policy, l, 'ana', MON), typeError);
  assert.throws(() => lg.route(policy, l, [null], MON), { name: 'TypeError', message: /reps\[0\]/ });
  assert.throws(() => lg.route(policy, l, [{}], MON), { name: 'TypeError', message: /reps\[0\]\.id/ });
  assert.throws(() => lg.route(policy, l, [{ id: 'a', weight: 1.5 }], MON), { name: 'RangeError', message: /reps\[0\]\.weight/ });
  assert.throws(() => lg.route(policy, l, [{ id: 'a', capacity: 2 ** 31 }], MON), { name: 'RangeError', message: /int32/ });
  assert.throws(() => lg.route(policy, l, [{ id: 'a', openLeads: -1 }], MON), { status: 'LG_ERR_INVALID', index: 0 });
  assert.throws(() => lg.route(policy, l, [{ id: 'a', lastAssignedAt: 'x' }], MON), typeError);
  assert.throws(() => lg.route(policy, l, [{ id: 'a', available: 'yes' }], MON), typeError);
  const s = new lg.Stats(policy);
  s.add(new lg.Lead('a').assign('ana', MON), MON + 1);
  s.add(new lg.Lead('b').assign('bob', MON).touch(MON + 5), MON + 10);
  assert.throws(() => s.correlation(['ana', 'bob'], [1, NaN]), { name: 'RangeError', message: /attainment\[1\]/ });
  assert.throws(() => s.correlation(['ana', 'bob'], [1]), rangeError);
  assert.throws(() => s.correlation(['ana', 'bob'], [1, '2']), typeError);
  assert.throws(() => s.correlation(['ana', 3], [1, 2]), typeError);
  assert.throws(() => lg.calibrate(rubric, [l], MON, 'size', 1), { name: 'RangeError', message: /dimension/ });
  assert.throws(() => lg.calibrate(rubric, [l], MON, 'fit', -1), rangeError);
  assert.throws(() => lg.calibrate(rubric, [l], MON, 'fit', 0.5), rangeError);
});
