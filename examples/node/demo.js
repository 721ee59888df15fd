'use strict';
// The README's Node.js example: decide on one lead and start its follow-up
// clock, with the example rubric and policy.
//   LEADGATE_NODE_ADDON=build/examples/node/leadgate.node node examples/node/demo.js
const fs = require('node:fs');
const path = require('node:path');
const lg = require('.');

const read = (...p) => fs.readFileSync(path.join(__dirname, '..', ...p), 'utf8');
const rubric = new lg.Rubric(read('rubrics', 'b2b.rubric'));
const policy = new lg.Policy(read('policies', 'inbound.policy'));
const now = new Date('2026-11-23T10:00:00Z');
const lead = new lg.Lead('lead-42', { need: 'high', role: 'Economic Buyer', timeframe_months: 2 },
                         [['demo_requested', new Date('2026-11-16T09:00:00Z')]]);
const d = lg.decide(rubric, policy, lead, now);
console.log(`${lead.id}: ${d.verdict} grade ${d.grade || '-'}, fit ${d.fit / 1000}, ` +
            `engagement ${d.engagement / 1000}, because ${d.reason}`);
lead.assign('rep-ana', now);
const s = lg.sla(policy, lead, now);
console.log(`follow-up: ${s.state}, due ${lg.formatTime(s.dueAt)}, next change ${lg.formatTime(s.nextAt)}`);
lead.close();
