// Evidence that cites the input and line it quotes (Process.src → Snapshot.sources), one-line
// renderings of tasks for evidence text, and severity scaling by counts (heuristics.md §3).
import type { Evidence, KernelTask, Process, Severity, Snapshot, SourceRef } from '../model/index.ts';
import { SEVERITIES } from '../model/index.ts';
import { procLabel, taskLabel, waitSymbol, type Task } from './facts-tasks.ts';
import { ageSec, fmtDuration } from './facts-time.ts';

/** The source ref that gave `field` (a Row field name: 'wchan', 'stat', 'args', 'stack'…), else the first. */
export function refFor(s: Snapshot, refs: readonly SourceRef[], field?: string): SourceRef | undefined {
  if (refs.length === 0) return undefined;
  if (field) {
    for (const r of refs) {
      const src = s.sources[r.s];
      if (src && src.fields.includes(field)) return r;
    }
  }
  return refs[0];
}

function withRef(s: Snapshot, ev: Evidence, ref: SourceRef | undefined): Evidence {
  if (!ref) return ev;
  const src = s.sources[ref.s];
  if (!src) return ev;
  return { ...ev, input: src.input, line: ref.line };
}

/** Evidence about a process, citing the input line that gave `field` (or its first line). */
export function cite(s: Snapshot, p: Process, text: string, field?: string): Evidence {
  return withRef(s, { text, pid: p.pid }, refFor(s, p.src, field));
}

/** Evidence about a task: the thread row when there is one, else the process row, else its kernel report. */
export function citeTask(s: Snapshot, t: Task, text: string, field?: string): Evidence {
  if (t.thread && t.thread.src.length > 0) return withRef(s, { text, pid: t.pid }, refFor(s, t.thread.src, field));
  if (!t.kernelOnly) return cite(s, t.proc, text, field);
  const r = t.reports[0];
  return r ? citeReport(s, r, text, t.pid) : { text, pid: t.pid };
}

/** The input a kernel report came from: only known for sure when one kernel-log source is in the snapshot. */
function kernelLogInput(s: Snapshot): string | undefined {
  let found: string | undefined;
  for (const src of s.sources) {
    if (src.format !== 'kernel-log') continue;
    if (found !== undefined && found !== src.input) return undefined;
    found = src.input;
  }
  return found;
}

/** Evidence quoting a hung-task / SysRq-w report (its first line). */
export function citeReport(s: Snapshot, kt: KernelTask, text: string, pid?: number): Evidence {
  const input = kernelLogInput(s);
  const ev: Evidence = { text, pid: pid ?? kt.pid };
  return input ? { ...ev, input, line: kt.line } : ev;
}

/** Short form of a command line for evidence (long argv cut with an ellipsis). */
export function shortArgs(args: string | null | undefined, max = 100): string {
  if (!args) return '';
  const a = args.trim();
  return a.length > max ? `${a.slice(0, max - 1)}…` : a;
}

/** `fsck.ext4 (21979) D, wchan folio_wait_bit_common, up 2d 3h: fsck.ext4 -a /dev/rbd3` */
export function describeTask(s: Snapshot, t: Task): string {
  const parts: string[] = [`${taskLabel(t)} ${t.stat ?? t.state ?? '?'}`];
  const w = waitSymbol(t);
  if (t.wchanRaw && t.wchan) parts.push(`wchan ${t.wchanRaw}`);
  else if (w) parts.push(`stack top ${w}`);
  const age = ageSec(t.proc, s);
  if (age !== undefined) parts.push(`up ${fmtDuration(age)}`);
  const blocked = t.reports.find((r) => r.blockedSec !== undefined)?.blockedSec;
  if (blocked !== undefined) parts.push(`blocked >${blocked}s (kernel)`);
  const a = shortArgs(t.proc.args);
  return a ? `${parts.join(', ')}: ${a}` : parts.join(', ');
}

/** `postgres (11025) S, up 3h 10m: postgres: checkpointer` */
export function describeProcess(s: Snapshot, p: Process): string {
  const parts: string[] = [`${procLabel(p)} ${p.stat ?? p.state ?? '?'}`];
  if (p.wchan) parts.push(`wchan ${p.wchan}`);
  const age = ageSec(p, s);
  if (age !== undefined) parts.push(`up ${fmtDuration(age)}`);
  const a = shortArgs(p.args);
  return a ? `${parts.join(', ')}: ${a}` : parts.join(', ');
}

/** The innermost meaningful frames of a stack as one line: `folio_wait_bit_common ← filemap_read ← vfs_read`. */
export function stackLine(frames: readonly string[], n = 4): string {
  return frames.slice(0, n).join(' ← ');
}

/** `3× sh, 2× grep` from names (placeholder `PID n` names are left out; '' when none are known). */
export function countNames(names: readonly string[], max = 4): string {
  const m = new Map<string, number>();
  for (const n of names) if (!n.startsWith('PID ') || !/^PID \d+$/.test(n)) m.set(n, (m.get(n) ?? 0) + 1);
  const sorted = [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = sorted.slice(0, max).map(([n, c]) => (c > 1 ? `${c}× ${n}` : n));
  if (sorted.length > max) shown.push(`${sorted.length - max} more`);
  return shown.join(', ');
}

/** `21979, 25814, 59653` or `21979, 25814 … (40 in all)`. */
export function pidList(pids: readonly number[], max = 8): string {
  return pids.length <= max ? pids.join(', ') : `${pids.slice(0, max).join(', ')} … (${pids.length} in all)`;
}

/**
 * How many items a finding cites one by one (evidence lines, names in one line) before it says
 * `… and N more`: a 50k-task group must not carry 50k evidence lines into the JSON and the UI.
 * The count stays exact; only the first ones are written out.
 */
export const EVIDENCE_MAX = 20;

/** `a (1), b (2), c (3)` for the first `max` items, then ` … and N more`; labels built only for those shown. */
export function labelList<T>(items: readonly T[], label: (x: T) => string, max = EVIDENCE_MAX): string {
  const shown = items.slice(0, max).map(label).join(', ');
  return items.length > max ? `${shown} … and ${items.length - max} more` : shown;
}

/**
 * Evidence lines for the first `max` items (built only for those) and one closing line from
 * `more(n)` for the rest: `evidence.push(...citeFirst(reports, (r) => citeReport(…), (n) => `… and ${n} more hung-task reports`))`.
 */
export function citeFirst<T>(items: readonly T[], make: (x: T) => Evidence, more: (n: number) => string, max = EVIDENCE_MAX): Evidence[] {
  const out: Evidence[] = [];
  for (let i = 0; i < items.length && i < max; i++) out.push(make(items[i]));
  if (items.length > max) out.push({ text: more(items.length - max) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Severity scaling (heuristics.md §3)

export function raise(sev: Severity, by = 1): Severity {
  const i = SEVERITIES.indexOf(sev);
  return SEVERITIES[Math.max(0, i - by)];
}

export function lower(sev: Severity, by = 1): Severity {
  const i = SEVERITIES.indexOf(sev);
  return SEVERITIES[Math.min(SEVERITIES.length - 1, i + by)];
}

export function maxSeverity(...sevs: Severity[]): Severity {
  let best = SEVERITIES.length - 1;
  for (const s of sevs) best = Math.min(best, SEVERITIES.indexOf(s));
  return SEVERITIES[best];
}

/** D cluster on one key: ≥10 HIGH, ≥3 MED, else none. */
export function dClusterSeverity(n: number): Severity | null {
  return n >= 10 ? 'high' : n >= 3 ? 'medium' : null;
}

/**
 * Zombies of one parent: ≥50 or rising HIGH; ≥5 persistent MED; otherwise LOW.
 * `persistent` undefined means a single capture with unknown ages: counted like persistent but said so.
 */
export function zombieSeverity(count: number, persistent: boolean | undefined, growing: boolean): Severity {
  if (count >= 50 || growing) return 'high';
  if (count >= 5 && persistent !== false) return 'medium';
  return 'low';
}

/** Orphans of one command under PID 1 or a subreaper: ≥10 MED. */
export function orphanSeverity(count: number): Severity | null {
  return count >= 10 ? 'medium' : null;
}

/** English plural: `1 zombie`, `12 zombies`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
