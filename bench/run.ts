// `npm run bench`: speed and memory, printed as Markdown for the README. Never asserted in tests
// (shared, noisy machines). Each ingest case runs in its own Node process for a clean peak RSS.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const lines: string[] = [];

if (want('ingest')) {
  const { cpus, loadavg } = await import('node:os');
  const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ');
  const heading = lines.length;
  lines.push('', '',
    '| input | rows | MB | ingest ms | snapshot ms | total ms | MB/s | tokenizer floor MB/s | % of floor | CPU ms: ingest + snapshot (floor) | % of floor, CPU | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const kind of ['aux', 'eLf']) {
    for (const rows of [10_000, 100_000, 1_000_000]) {
      const out = execFileSync(process.execPath, ['--max-old-space-size=4096', 'bin/run-ts.mjs', 'bench/ingest-case.ts', kind, String(rows)], { encoding: 'utf8' });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      lines.push(`| ps ${kind === 'aux' ? 'aux' : '-eLf'} | ${rows.toLocaleString('en')} | ${r.mb} | ${r.ingestMs} | ${r.snapshotMs} | ${r.totalMs} | ${r.mbPerSec} | ${r.floorMbPerSec} | ${r.ofFloor}% | ${r.ingestCpuMs} + ${r.snapshotCpuMs} (${r.floorCpuMs}) | ${r.ofFloorCpu}% | ${r.peakMB} |`);
      process.stderr.write(`${kind} ${rows}: ${out}`);
    }
  }
  // Wall-clock figures on a shared machine depend on its load: say what it was.
  lines[heading] = `### Ingest + snapshot (Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore} before, ${loadavg().map((x) => x.toFixed(2)).join(' ')} after)`;
  lines.push('', 'Each case runs in its own Node process after a warm-up on 10,000 rows (the floor is warmed too). '
    + 'ms are wall-clock; CPU ms is user + system time of the process (GC helper threads included), '
    + 'which a loaded machine disturbs less. % of floor = floor time / our time: 50% means half the floor\'s speed.', '');
}

if (want('diagnose')) {
  // All rules on inputs with many problem processes (bench/generate-problems.ts: real rows of six
  // problem samples repeated with fresh PIDs), each case in its own Node process.
  const { cpus, loadavg } = await import('node:os');
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  const heading = lines.length;
  const loadBefore = load();
  lines.push('', '', '| input | rows | D / Z / T+t rows | findings | all rules ms (CPU ms) | slowest rules, CPU ms |', '|---|---:|---:|---:|---:|---|');
  for (const rows of [100_000, 1_000_000]) {
    const out = execFileSync(process.execPath, ['--max-old-space-size=6000', 'bin/run-ts.mjs', 'bench/diagnose-case.ts', String(rows)], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    const st = r.byState as Record<string, number>;
    const top = Object.entries(r.ruleCpuMs as Record<string, number>).slice(0, 5).map(([id, ms]) => `${id} ${Math.round(ms)}`).join(', ');
    lines.push(`| ps -eo …wchan… (6 problem samples) | ${r.rows.toLocaleString('en')} | ${st.D ?? 0} / ${st.Z ?? 0} / ${(st.T ?? 0) + (st.t ?? 0)} | ${r.findings} | ${r.diagnoseMs} (${r.diagnoseCpuMs}) | ${top} |`);
    process.stderr.write(`diagnose ${rows}: ${out}`);
  }
  lines[heading] = `### Diagnosis (Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore} before, ${load()} after)`;
  lines.push('', 'Every rule over one snapshot of real `ps -eo pid,ppid,stat,wchan:32,lstart,etimes,cmd` rows of d-cluster-fuse, '
    + 'd-parent-zombies, container-init-zombies, orphans-under-init, fork-storm and stopped-and-traced, repeated with fresh PIDs '
    + '(16% of rows in D, Z, T or t). A rule\'s time includes the shared facts it is first to need. '
    + 'Targets: under 1 s at 100k rows, under 5 s at 1M.', '');
}

for (const [name, file, fn] of [['browser', './browser.ts', 'benchBrowser'], ['share', './share.ts', 'benchShare']] as const) {
  if (!want(name)) continue;
  if (!existsSync(new URL(file, import.meta.url))) { lines.push(`(${name} bench not present)`, ''); continue; }
  const mod = await import(file);
  lines.push(await mod[fn]());
  lines.push('');
}
process.stdout.write(lines.join('\n') + '\n');
