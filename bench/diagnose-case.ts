// One diagnosis bench case in its own process: a big input with many problem processes
// (bench/generate-problems.ts), ingested and snapshotted, then every rule timed on its own.
// usage: node bin/run-ts.mjs bench/diagnose-case.ts ROWS [SAMPLE,SAMPLE…] [MOMENTS]
//   e.g. `… 100000`, `… 100000 d-cluster-fuse 2`. Prints one JSON line.
// Rules share per-snapshot facts (facts.ts memo): the first rule that needs a fact pays for it, so
// a rule's ms includes the shared facts it was first to build. Rules run in engine order.
import { generateProblems } from './generate-problems.ts';
import { ingest } from '../src/ingest/index.ts';
import { buildSnapshots } from '../src/snapshot/index.ts';
import { diagnose } from '../src/diagnose/engine.ts';
import { RULES } from '../src/diagnose/rules/index.ts';
import type { Rule } from '../src/diagnose/types.ts';

const rows = Number(process.argv[2] ?? 100_000);
const samples = process.argv[3] && process.argv[3] !== 'mixed' ? process.argv[3].split(',') : undefined;
const moments = process.argv[4] === '2' ? 2 : 1;

const gen = generateProblems(rows, { samples, moments });
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

let t0 = performance.now();
const ingested = ingest([{ name: 'ps-o-wchan.txt', text: gen.text }]);
const ingestMs = performance.now() - t0;
t0 = performance.now();
const snapshots = buildSnapshots(ingested);
const snapshotMs = performance.now() - t0;

// Each rule wrapped so its missing() and evaluate() are timed where the engine calls them: wall ms,
// and CPU ms (the shared machine runs at load 7-11 on 2 cores; CPU time says more about a change).
const ms: Record<string, number> = {};
const cpu: Record<string, number> = {};
function time<T>(id: string, f: () => T): T {
  const t = performance.now();
  const c = process.cpuUsage();
  try { return f(); } finally {
    ms[id] = (ms[id] ?? 0) + performance.now() - t;
    cpu[id] = (cpu[id] ?? 0) + cpuMs(process.cpuUsage(c));
  }
}
const timed: Rule[] = RULES.map((r) => ({
  ...r,
  missing: (ctx) => time(r.id, () => r.missing(ctx)),
  evaluate: (ctx) => time(r.id, () => r.evaluate(ctx)),
}));
const c0 = process.cpuUsage();
t0 = performance.now();
const { findings, notEvaluated } = diagnose(snapshots, ingested, timed);
const diagnoseMs = performance.now() - t0;
const diagnoseCpuMs = cpuMs(process.cpuUsage(c0));

// What the findings carry: the UI and the JSON pay for every pid and evidence line.
const perRule: Record<string, { findings: number; pids: number; evidence: number }> = {};
for (const f of findings) {
  const r = (perRule[f.rule] ??= { findings: 0, pids: 0, evidence: 0 });
  r.findings++;
  r.pids += f.pids.length;
  r.evidence += f.evidence.length;
}
const round = (x: number) => Math.round(x * 10) / 10;
process.stdout.write(JSON.stringify({
  rows: gen.rows, problemRows: gen.problemRows, byState: gen.byState, copies: gen.copies, moments,
  processes: snapshots[snapshots.length - 1]?.counts.processes ?? 0,
  ingestMs: Math.round(ingestMs), snapshotMs: Math.round(snapshotMs),
  diagnoseMs: Math.round(diagnoseMs), diagnoseCpuMs: Math.round(diagnoseCpuMs),
  ruleMs: Object.fromEntries(Object.entries(ms).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
  ruleCpuMs: Object.fromEntries(Object.entries(cpu).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v)])),
  findings: findings.length, perRule,
  notEvaluated: notEvaluated.filter((n) => n.missing.startsWith('rule failed')),
}) + '\n');
