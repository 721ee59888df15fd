'use strict';
/*
 * bench.js - what the Node.js binding costs, next to the C library.
 *
 *   node bench.js [N] [--c PATH]
 *
 * N leads (default 100,000) shaped like tests/bench/bench_score.c's (need,
 * timeframe, role, industry, employees, sometimes a persona, about eight
 * events over three months), scored against the reference rubric of
 * tests/reference_example.h.  --c runs that C benchmark (default:
 * ../../build/tests/bench/bench_score) on the same N for its figure.  Each
 * Node figure is over 5 runs; best and median are printed.  Not a test:
 * the numbers depend on the machine.
 *
 * Prints:
 *   node score_many leads_per_s best=... median=...          (Score objects)
 *   node score_many_raw leads_per_s best=... median=...      (the addon's Float64Array)
 *   c score_many leads_per_s=... ns_per_lead=...             (bench_score's best of 5)
 *   node lead_build us_per_lead best=... median=...          (8 attributes, 8 events)
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const lg = require('.');

const RUNS = 5;
const DAY = 86400;
const args = process.argv.slice(2);
const cIndex = args.indexOf('--c');
const cBench = cIndex >= 0 ? args.splice(cIndex, 2)[1]
  : path.join(__dirname, '..', '..', 'build', 'tests', 'bench', 'bench_score');
const n = args.length ? Number(args[0]) : 100000;
if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`N must be a positive integer, got ${args[0]}`);

/* The reference rubric, read from the C header so that both benchmarks
 * score against the same text. */
function referenceRubric() {
  const header = fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'reference_example.h'), 'utf8');
  const body = header.slice(header.indexOf('lg_example_rubric[] ='), header.indexOf(';', header.indexOf('lg_example_rubric[] =')));
  return (body.match(/"(?:[^"\\]|\\.)*"/g) || []).map((s) => JSON.parse(s)).join('');
}

let seed = 0x243f6a88;
const rand = (lo, hi) => { // inclusive; a small xorshift, fixed seed
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return lo + ((seed >>> 0) % (hi - lo + 1));
};
const pick = (a) => a[rand(0, a.length - 1)];
const needs = ['high', 'medium', 'low', 'unknown'];
const roles = ['decision maker', 'Economic Buyer', 'influencer', 'recommender', 'intern'];
const industries = ['software', 'saas', 'retail', 'mining', 'SaaS'];
const personas = ['student', 'consultant', 'buyer', 'engineer'];

function leadSpec(now) {
  const attrs = {
    need: pick(needs), timeframe_months: rand(0, 12), role: pick(roles), industry: pick(industries),
    employees: rand(1, 5000),
  };
  if (rand(0, 3) === 0) attrs.persona = pick(personas);
  const events = [];
  for (let e = rand(5, 11); e > 0; e--) {
    const r = rand(0, 99);
    const type = r < 55 ? 'content_download' : r < 85 ? 'webinar_attended' : r < 97 ? 'demo_requested' : 'unsubscribed';
    events.push([type, now - rand(0, 90 * DAY)]);
  }
  return { attrs, events };
}

function stats(samples) {
  const s = samples.slice().sort((a, b) => a - b);
  return { best: s[0], median: s[Math.floor(s.length / 2)] };
}

function time(fn) {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const now = 1767571200 + 120 * DAY;
const rubric = new lg.Rubric(referenceRubric());
const leads = [];
for (let i = 0; i < n; i++) {
  const { attrs, events } = leadSpec(now);
  leads.push(new lg.Lead(`lead-${i}`, attrs, events));
}
let sink = 0;
const full = [];
const raw = [];
for (let run = 0; run < RUNS; run++) {
  full.push(time(() => { sink += lg.scoreMany(rubric, leads, now)[n >> 1].total; }));
}
// the same call without making Score objects of the addon's numbers
for (let run = 0; run < RUNS; run++) {
  raw.push(time(() => { sink += lg._scoreManyRaw(rubric, leads, now)[3 * (n >> 1) + 2]; }));
}

const fmt = (x) => x.toFixed(0);
const f = stats(full);
const r = stats(raw);
console.log(`node score_many leads_per_s best=${fmt(n / f.best)} median=${fmt(n / f.median)} (n=${n})`);
console.log(`node score_many_raw leads_per_s best=${fmt(n / r.best)} median=${fmt(n / r.median)}`);

if (fs.existsSync(cBench)) {
  const out = execFileSync(cBench, [String(n)], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('score_many '));
  console.log(`c ${line ?? '(no score_many line)'}`);
} else {
  console.log(`c score_many: ${cBench} not found (build tests/bench in Release, or pass --c PATH)`);
}

// building a lead: 8 attributes and 8 events from an object and an array
const buildN = Math.min(n, 20000);
const specs = [];
for (let i = 0; i < buildN; i++) {
  const attrs = {
    need: pick(needs), timeframe_months: rand(0, 12), role: pick(roles), industry: pick(industries),
    employees: rand(1, 5000), persona: pick(personas), country: 'DE', opted_in: true,
  };
  const events = [];
  for (let e = 0; e < 8; e++) events.push([e % 2 ? 'content_download' : 'webinar_attended', now - e * DAY]);
  specs.push({ id: `b-${i}`, attrs, events });
}
const build = [];
for (let run = 0; run < RUNS; run++) {
  const made = new Array(buildN);
  build.push(time(() => {
    for (let i = 0; i < buildN; i++) made[i] = new lg.Lead(specs[i].id, specs[i].attrs, specs[i].events);
  }));
  for (const l of made) l.close();
}
const b = stats(build);
console.log(`node lead_build us_per_lead best=${(b.best * 1e6 / buildN).toFixed(2)} median=${(b.median * 1e6 / buildN).toFixed(2)} (n=${buildN})`);
if (sink === 0.5) console.log(''); // keep the results alive
