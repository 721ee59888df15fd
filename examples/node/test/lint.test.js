'use strict';
// lint on small definitions whose findings are worked out by hand.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lg = require('..');

const B2B = fs.readFileSync(path.join(__dirname, '..', '..', 'rubrics', 'b2b.rubric'), 'utf8');
const SHADOWED = `rubric "s"
fit "size" from employees
  when >= 100 -> 3
  when 200..500 -> 2
engagement "demo" on demo_requested -> 25 max 20
`;
const LADDER = `policy "l"
follow-up within 48h
  warn at 0%
  escalate at 36h
  remind at 48h
  reassign at 60h
`;
const UNREACHABLE = `policy "u"
qualify when fit >= 13 and event demo_requested within 30d
grade "A" when fit >= 6
grade "B" when fit >= 8
grade "D"
`;

const codes = (findings) => findings.map((f) => [f.severity, f.source, f.line, f.code]);

test('lint: findings by source and line, rubric first', () => {
  const r = new lg.Rubric(SHADOWED);
  const p = new lg.Policy(LADDER);
  // line 4: 200..500 lies inside ">= 100" of line 3 (first match wins);
  // line 5: one demo is 25 points, more than the max of 20
  const rubricFindings = [['warning', 'rubric', 4, 'unreachable-when'],
                          ['warning', 'rubric', 5, 'max-below-points']];
  // line 3: warning from the start; line 5: remind at 48 h comes after the
  // more severe escalate at 36 h
  const policyFindings = [['warning', 'policy', 3, 'warn-at-zero'],
                          ['warning', 'policy', 5, 'unreachable-step']];
  assert.deepEqual(codes(lg.lint({ rubric: r })), rubricFindings);
  assert.deepEqual(codes(lg.lint({ policy: p, rubric: null })), policyFindings);
  const both = lg.lint({ rubric: r, policy: p });
  assert.deepEqual(codes(both), [...rubricFindings, ...policyFindings]);
  for (const f of both) {
    assert.deepEqual(Object.keys(f), ['severity', 'source', 'line', 'code', 'message']);
    assert.ok(typeof f.message === 'string' && f.message.length > 0);
  }
});

test('lint: checks that need the rubric', () => {
  // b2b's best fit is 3 + 3 + 3 + 3 = 12: `fit >= 13` never holds (line 2);
  // grade A (fit >= 6) holds whenever B (fit >= 8) would (line 4)
  const r = new lg.Rubric(B2B);
  assert.deepEqual(codes(lg.lint({ rubric: r, policy: new lg.Policy(UNREACHABLE) })),
                   [['error', 'policy', 2, 'unreachable-qualify'],
                    ['warning', 'policy', 4, 'unreachable-grade']]);
  assert.deepEqual(lg.lint({ rubric: r }), []);
});

test('lint: bad arguments', () => {
  const r = new lg.Rubric(SHADOWED);
  const p = new lg.Policy(LADDER);
  assert.throws(() => lg.lint({}), { name: 'LeadgateError', status: 'LG_ERR_INVALID', message: /a rubric, a policy or both/ });
  assert.throws(() => lg.lint({ rubric: null, policy: undefined }), { status: 'LG_ERR_INVALID' });
  assert.throws(() => lg.lint(), { name: 'TypeError' });
  assert.throws(() => lg.lint(null), { name: 'TypeError' });
  assert.throws(() => lg.lint(r), { name: 'TypeError' }); // not {rubric}
  assert.throws(() => lg.lint({ rubric: p }), { name: 'TypeError', message: /rubric/ });
  assert.throws(() => lg.lint({ policy: r }), { name: 'TypeError', message: /policy/ });
  assert.throws(() => lg.lint({ rubric: SHADOWED }), { name: 'TypeError' });
  assert.throws(() => lg._native.lint(p, null), { name: 'TypeError' }); // the addon checks too
  r.close();
  assert.throws(() => lg.lint({ rubric: r }), { status: 'LG_ERR_STATE' });
});
