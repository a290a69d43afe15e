// `procscope analyze` plain-text output: findings first, then the summary an SRE uses at once.
import type { Analysis, Snapshot } from '../model/index.ts';
import { indexByPid } from '../snapshot/index.ts';
import { evidenceText } from './json.ts';
import { commandOf, fmtAge, fmtKiB, sharedCauses, stateLine } from './format.ts';
import { summarize } from './summary.ts';

const SEV = { critical: 'CRIT', high: 'HIGH', medium: 'MED ', low: 'LOW ', info: 'INFO' } as const;

export function toText(a: Analysis): string {
  const out: string[] = [];
  const last = a.snapshots[a.snapshots.length - 1];
  out.push(`procscope — ${a.ingest.inputs.map((i) => `${i.name} (${i.sections.map((s) => s.variant ? `${s.format} ${s.variant}` : s.format).join(', ') || 'nothing read'})`).join('; ')}`);
  out.push('');
  if (a.findings.length === 0) {
    out.push('Findings: none.');
  } else {
    out.push(`Findings (${a.findings.length}):`);
    for (const f of a.findings) {
      out.push(`  [${SEV[f.severity]}] ${f.title}  (${f.rule})`);
      out.push(`         ${f.summary}`);
      for (const e of f.evidence.slice(0, 8)) out.push(`         · ${evidenceText(e)}`);
      if (f.evidence.length > 8) out.push(`         · … ${f.evidence.length - 8} more`);
      if (f.next.length) {
        out.push('         next:');
        for (const n of f.next) out.push(`           $ ${n}`);
      }
    }
  }
  for (const [cause, rules] of sharedCauses(a.findings)) {
    out.push(`  One root cause (${cause}) explains: ${rules.join(', ')}`);
  }
  if (a.notEvaluated.length) {
    out.push('');
    out.push(`Not evaluated (${a.notEvaluated.length} rules): ${a.notEvaluated.map((n) => n.rule).join(', ')}`);
    const reasons = new Map<string, string[]>();
    for (const n of a.notEvaluated) reasons.set(n.missing, [...(reasons.get(n.missing) ?? []), n.rule]);
    for (const [why, rules] of reasons) out.push(`  - ${why} (${rules.join(', ')})`);
  }
  if (a.snapshots.length > 1) out.push('', `Timeline: ${a.snapshots.length} moments; summary of the last (${last.label}).`);
  if (last) out.push('', ...summaryText(last));
  if (a.ingest.warnings.length) {
    out.push('', `Warnings (${a.ingest.warnings.length}):`);
    for (const w of a.ingest.warnings.slice(0, 20)) out.push(`  ${w.input}:${w.line}: ${w.message}`);
    if (a.ingest.warnings.length > 20) out.push(`  … ${a.ingest.warnings.length - 20} more (see --json)`);
  }
  for (const e of a.ingest.errors) out.push('', `Error: ${e.message}`);
  return out.join('\n') + '\n';
}

export function summaryText(s: Snapshot): string[] {
  const byPid = indexByPid(s);
  const sum = summarize(s, byPid);
  const m = s.meta;
  const out: string[] = [];
  const facts = [
    m.host && `host ${m.host}`, s.takenAt && `taken ${s.takenAt}`, m.kernel && `kernel ${m.kernel}`,
    m.nCpu !== undefined && `${m.nCpu} CPUs`,
    m.load && `load ${m.load.join(' ')}${m.nCpu ? ` (load1/CPU ${(m.load[0] / m.nCpu).toFixed(2)})` : ''}`,
    m.totalTasks !== undefined && `${m.totalTasks} tasks (loadavg)`,
  ].filter(Boolean);
  out.push(`Summary${facts.length ? ': ' + facts.join(', ') : ''}`);
  out.push(`  processes ${s.counts.processes}: ${stateLine(s.counts.byState)}`);
  out.push(s.counts.threadsShown
    ? `  threads   ${s.counts.threads}: ${stateLine(s.counts.threadsByState)}`
    : `  threads   not shown in the input (capture ps -eLf or top -H for per-thread states)`);
  const dThreads = s.counts.threadsByState.D ?? 0;
  const dProcs = s.counts.byState.D ?? 0;
  if (dThreads > dProcs) out.push(`  ! ${dThreads - dProcs} D thread(s) hide behind processes whose main thread is not D`);
  if (sum.dTasks.length) {
    out.push('', `D tasks (${sum.dTasks.length}):`);
    for (const d of sum.dTasks.slice(0, 30)) {
      const frames = d.stack.filter((f) => !/^(\? )?(__schedule|schedule|io_schedule)\b/.test(f)).slice(0, 3).join(' < ');
      out.push(`  ${d.pid}${d.tid !== undefined && d.tid !== d.pid ? `/${d.tid}` : ''} ${d.comm}  wchan=${d.wchan ?? '?'}${d.elapsedSec !== undefined ? `  age ${fmtAge(d.elapsedSec)}` : ''}${frames ? `  stack ${frames}` : ''}`);
    }
    if (sum.dTasks.length > 30) out.push(`  … ${sum.dTasks.length - 30} more`);
  }
  if (sum.zombieGroups.length) {
    out.push('', `Zombies by parent:`);
    for (const g of sum.zombieGroups.slice(0, 15)) {
      const par = g.parent ? `${g.parent.pid} ${g.parent.stat ?? g.parent.state ?? '?'} ${commandOf(g.parent, 60)}` : `${g.ppid ?? '?'} (not in the capture)`;
      out.push(`  ${g.zombies.length} × under ${par}: ${g.zombies.slice(0, 10).map((z) => z.pid).join(' ')}${g.zombies.length > 10 ? ' …' : ''}`);
    }
  }
  if (sum.ppidZero.length) {
    out.push('', `PPID 0 (entered from outside the PID namespace): ${sum.ppidZero.slice(0, 20).map((p) => `${p.pid} ${commandOf(p, 40)}`).join('; ')}`);
  }
  if (sum.topCpu.length) {
    out.push('', 'Top CPU:');
    for (const p of sum.topCpu) out.push(`  ${String(p.pcpu).padStart(5)}%  ${p.pid} ${commandOf(p, 80)}`);
  }
  if (sum.topMem.length) {
    out.push('', 'Top memory:');
    for (const p of sum.topMem) out.push(`  ${fmtKiB(p.rssKiB).padStart(10)}${p.pmem !== undefined ? ` ${p.pmem}%` : ''}  ${p.pid} ${commandOf(p, 80)}`);
  }
  if (s.conflicts.length) {
    out.push('', `Inputs disagree (${s.conflicts.length}):`);
    for (const c of s.conflicts.slice(0, 10)) out.push(`  ${c.message}`);
  }
  if (s.kernelTasks.length) {
    out.push('', `Kernel-only tasks (from logs, no matching process; PIDs may be host PIDs): ${s.kernelTasks.slice(0, 10).map((k) => `${k.comm}:${k.pid} ${k.state ?? ''}`).join(', ')}`);
  }
  return out;
}
