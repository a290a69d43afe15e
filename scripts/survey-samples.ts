import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/analyze.ts';
const root = path.resolve('samples');
for (const dir of readdirSync(root).sort()) {
  const d = path.join(root, dir);
  const inputs = readdirSync(d).filter((f) => f !== 'README.md' && f !== 'expected.json').map((f) => ({ name: f, text: readFileSync(path.join(d, f), 'utf8') }));
  const t0 = performance.now();
  const a = analyze(inputs);
  const ms = performance.now() - t0;
  const s = a.snapshots[a.snapshots.length - 1];
  let exp: any = {}; try { exp = JSON.parse(readFileSync(path.join(d, 'expected.json'), 'utf8')); } catch {}
  const got = a.findings.map((f) => `${f.rule}[${f.pids.slice(0,4).join(',')}]${f.severity[0]}`);
  const want = (exp.findings ?? []).map((f: any) => `${f.rule}[${f.pids.slice(0,4).join(',')}]`);
  console.log(`${dir}: ${a.ingest.captures.map(c=>c.format+':'+c.variant).join(',')} procs=${s?.counts.processes} states=${JSON.stringify(s?.counts.byState)} warn=${a.ingest.warnings.length} err=${a.ingest.errors.length} ${ms.toFixed(0)}ms\n   got: ${got.join(' ')}\n   want: ${want.join(' ')}${a.ingest.warnings.slice(0,3).map(w=>'\n   W '+w.input+':'+w.line+' '+w.message).join('')}`);
}
