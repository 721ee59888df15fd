'use strict';
// Replays the shared conformance data set (tests/conformance/cases.json,
// format in tests/conformance/README.md) through the JavaScript API and
// requires every answer to be exactly the one the C library gave.  Also
// replays test/fixture_cases.json, a few cases in the same format worked
// out by hand.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const lg = require('..');

const STAGE_PATHS = {
  new: [],
  nurture: ['nurture'],
  mql: ['mql'],
  sal: ['mql', 'sal'],
  sql: ['mql', 'sal', 'sql'],
  opportunity: ['mql', 'sal', 'sql', 'opportunity'],
  won: ['mql', 'sal', 'sql', 'opportunity', 'won'],
  lost: ['mql', 'sal', 'sql', 'opportunity', 'lost'],
  disqualified: ['disqualified'],
};

function definition(root, map, name) {
  const text = root[map][name];
  if (typeof text !== 'string') throw new Error(`unknown ${map} entry ${name}`);
  return text;
}

function buildLead(spec) {
  const lead = new lg.Lead(spec.id, spec.attrs, spec.events);
  try {
    for (const s of STAGE_PATHS[spec.stage]) lead.setStage(s, 0);
    for (const a of spec.assignments) {
      lead.assign(a.owner, a.at);
      if (a.touched_at !== null) lead.touch(a.touched_at);
      for (const action of a.recorded) lead.recordAction(action, a.at);
    }
  } catch (e) {
    lead.close();
    throw e;
  }
  return lead;
}

const scoreKeys = (s) => ({
  fit: s.fit, engagement: s.engagement, total: s.total, knocked_out: s.knockedOut ? 1 : 0,
  knockout_index: s.knockoutIndex, missing_count: s.missingCount,
});

function runOp(c, rubric, policy, calendar, lead) {
  switch (c.op) {
    case 'score':
      return scoreKeys(lg.score(rubric, lead, c.now));
    case 'decide': {
      const d = lg.decide(rubric, policy, lead, c.now);
      return {
        ...scoreKeys(d), verdict: d.verdict, stage: d.stage, grade: d.grade, reason: d.reason,
        rubric_fingerprint: d.rubricFingerprint, policy_fingerprint: d.policyFingerprint, next_at: d.nextAt,
      };
    }
    case 'explain':
      return {
        items: lg.explain(rubric, lead, c.now).map((i) => ({
          criterion: i.criterion, attribute: i.attribute, kind: i.kind, missing: i.missing ? 1 : 0,
          points: i.points, max_points: i.maxPoints,
        })),
      };
    case 'next_question': {
      const q = lg.nextQuestion(rubric, lead);
      return q === null ? { status: 'LG_ERR_NOT_FOUND' } : { attribute: q.attribute, gain: q.gain };
    }
    case 'sla': {
      const s = lg.sla(policy, lead, c.now);
      return {
        state: s.state, action: s.action, started_at: s.startedAt, due_at: s.dueAt, next_at: s.nextAt,
        elapsed: s.elapsed, remaining: s.remaining, reassignments: s.reassignments, tier: s.tier,
      };
    }
    case 'route': {
      const reps = c.reps.map((r) => ({
        id: r.id, available: r.available, openLeads: r.open_leads, capacity: r.capacity,
        weight: r.weight, lastAssignedAt: r.last_assigned_at,
      }));
      const chosen = lg.route(policy, lead, reps, c.now);
      return chosen === null ? { status: 'LG_ERR_NOT_FOUND' } : { chosen };
    }
    case 'calendar_add':
      return { at: calendar.add(c.start, c.duration) };
    case 'calendar_between':
      return { seconds: calendar.between(c.a, c.b) };
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

/* One case, resolved in the data set's order: rubric, policy, calendar,
 * lead, op; the first LeadgateError is the answer. */
function runCase(root, c) {
  const opened = [];
  const open = (obj) => (opened.push(obj), obj);
  let stage = 'parse';
  try {
    const rubric = c.rubric !== undefined ? open(new lg.Rubric(definition(root, 'rubrics', c.rubric))) : null;
    const policy = c.policy !== undefined ? open(new lg.Policy(definition(root, 'policies', c.policy))) : null;
    const calendar = c.calendar !== undefined
      ? open(new lg.Calendar(definition(root, 'calendars', c.calendar))) : null;
    stage = 'lead';
    let lead = null;
    if (!c.op.startsWith('calendar_')) {
      const spec = root.leads[c.lead];
      if (!spec) throw new Error(`unknown lead ${c.lead}`);
      lead = open(buildLead(spec));
    }
    stage = 'op';
    return runOp(c, rubric, policy, calendar, lead);
  } catch (e) {
    if (!(e instanceof lg.LeadgateError)) throw e;
    if (stage === 'parse') return { status: e.status, line: e.line, column: e.column, message: e.detail };
    return { status: e.status };
  } finally {
    for (const o of opened) o.close();
  }
}

/* JSON with keys sorted at every level: equal text means equal answers. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function replay(file) {
  const root = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(root.format, 1, `${file}: format`);
  const failures = [];
  for (const c of root.cases) {
    let got;
    try {
      got = runCase(root, c);
    } catch (e) {
      got = { thrown: `${e.name}: ${e.message}` };
    }
    if (canonical(got) !== canonical(c.expect)) {
      failures.push(`${c.id}\n    expected ${canonical(c.expect)}\n    got      ${canonical(got)}`);
    }
  }
  assert.equal(failures.length, 0,
               `${failures.length} of ${root.cases.length} cases differ:\n  ${failures.slice(0, 20).join('\n  ')}`);
  return root.cases.length;
}

const shared = process.env.LEADGATE_CONFORMANCE ||
  path.join(__dirname, '..', '..', '..', 'tests', 'conformance', 'cases.json');

test('the shared conformance data set, every case exactly', (t) => {
  if (!fs.existsSync(shared)) {
    t.skip(`${shared} not found`);
    return;
  }
  const n = replay(shared);
  assert.ok(n > 0);
  t.diagnostic(`${n} cases from ${shared}`);
});

test('the hand-worked fixture, through the same runner', () => {
  assert.ok(replay(path.join(__dirname, 'fixture_cases.json')) >= 10);
});
