// One bench case in its own process, so peak memory (maxRSS) belongs to this case alone.
// usage: node bin/run-ts.mjs bench/ingest-case.ts aux|eLf ROWS
import { generate, type Kind } from './generate.ts';
import { ingest } from '../src/ingest/index.ts';
import { buildSnapshots } from '../src/snapshot/index.ts';

const kind = process.argv[2] as Kind;
const n = Number(process.argv[3]);
const { text, from } = generate(kind, n);
const mb = Buffer.byteLength(text) / 1e6;

// The floor: a bare line-and-whitespace tokenizer over the same text in the same process.
function tokenize(t: string): number {
  let tokens = 0;
  for (const line of t.split('\n')) tokens += line.split(/\s+/).length;
  return tokens;
}
tokenize(text); // warm up
const floorC0 = process.cpuUsage();
let t0 = performance.now();
const tokens = tokenize(text);
const floorMs = performance.now() - t0;
const floorCpu = process.cpuUsage(floorC0);

// Warm-up, as the floor is warmed above: five runs over 10,000 rows of the same kind, so the
// figures are for optimized code, not for JIT tiering and zod's one-time schema compile (a cold
// 10,000-row run takes ~4x as long). Small, so the peak RSS below is still this case's own.
const warm = generate(kind, 10_000).text;
for (let k = 0; k < 5; k++) buildSnapshots(ingest([{ name: `ps-${kind}.txt`, text: warm }]));

const rssBefore = process.memoryUsage().rss;
// CPU time beside wall time: on a shared, loaded machine it says more about a change than the clock.
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
let c0 = process.cpuUsage();
t0 = performance.now();
const result = ingest([{ name: `ps-${kind}.txt`, text }]);
const ingestMs = performance.now() - t0;
const ingestCpuMs = cpuMs(process.cpuUsage(c0));
c0 = process.cpuUsage();
const t1 = performance.now();
const snaps = buildSnapshots(result);
const snapMs = performance.now() - t1;
const snapCpuMs = cpuMs(process.cpuUsage(c0));
const total = ingestMs + snapMs;
const procs = snaps[0]?.counts.processes ?? 0;
const warnings = result.warnings.length;
const maxRssMB = process.resourceUsage().maxRSS / 1024;

process.stdout.write(JSON.stringify({
  kind, rows: n, mb: +mb.toFixed(1), from, tokens, floorMs: Math.round(floorMs), ingestMs: Math.round(ingestMs),
  snapshotMs: Math.round(snapMs), totalMs: Math.round(total), mbPerSec: +(mb / (total / 1000)).toFixed(1),
  floorMbPerSec: +(mb / (floorMs / 1000)).toFixed(1), ofFloor: +(floorMs / total * 100).toFixed(0),
  ingestCpuMs: Math.round(ingestCpuMs), snapshotCpuMs: Math.round(snapCpuMs),
  floorCpuMs: Math.round(cpuMs(floorCpu)), ofFloorCpu: +(cpuMs(floorCpu) / (ingestCpuMs + snapCpuMs) * 100).toFixed(0),
  processes: procs, warnings, peakMB: Math.round(maxRssMB), rssBeforeMB: Math.round(rssBefore / 1e6),
}) + '\n');
