// What the input contains, so a rule can say what is missing as what to capture
// ("no wchan: capture `ps -eo pid,ppid,stat,wchan:32,cmd`") instead of passing silently.
import type { Snapshot } from '../model/index.ts';
import { memo } from './facts-tasks.ts';

/** Whether any source of the snapshot provides a Row field (`wchan`, `stack`, `ctxtVoluntary`, `elapsedSec`…). */
export function provides(s: Snapshot, field: string): boolean {
  return memo(s, `provides:${field}`, () => {
    if (s.sources.some((src) => src.fields.includes(field))) return true;
    // A parser that declared no fields may still have given the values: look, but only then.
    if (!s.sources.some((src) => src.fields.length === 0 && src.format !== 'kernel-log' && src.format !== 'loadavg')) return false;
    const key = field as keyof (typeof s.processes)[number];
    for (const p of s.processes) {
      if ((p as Record<string, unknown>)[key as string] !== undefined && (p as Record<string, unknown>)[key as string] !== null) return true;
      for (const t of p.threads) {
        const v = (t as Record<string, unknown>)[key as string];
        if (v !== undefined && v !== null) return true;
      }
    }
    return false;
  });
}

/** Any hung-task / SysRq report (joined to a process or not). */
export function hasKernelReports(s: Snapshot): boolean {
  return memo(s, 'hasKernelReports', () => s.kernelTasks.length > 0 || s.processes.some((p) => p.kernelTasks.length > 0));
}

/** A kernel log section was given (even one without hung-task lines). */
export function hasKernelLog(s: Snapshot): boolean {
  return s.sources.some((src) => src.format === 'kernel-log') || hasKernelReports(s);
}

/** Process states are known (a STAT/S column, /proc status, top's S) for at least one process. */
export function hasStates(s: Snapshot): boolean {
  return memo(s, 'hasStates', () => s.processes.some((p) => p.state !== null || p.threads.some((t) => t.state !== null)) || hasKernelReports(s));
}

/** Parent PIDs are known. */
export function hasParents(s: Snapshot): boolean {
  return memo(s, 'hasParents', () => s.processes.some((p) => p.ppid !== null));
}

/** Wait channels or kernel stacks are known for at least one task. */
export function hasWaits(s: Snapshot): boolean {
  return memo(s, 'hasWaits', () => provides(s, 'wchan') || provides(s, 'stack') || s.processes.some((p) => p.kernelTasks.some((k) => k.stack.length > 0)) || s.kernelTasks.some((k) => k.stack.length > 0));
}

/** Process ages or start times are known. */
export function hasAges(s: Snapshot): boolean {
  return provides(s, 'elapsedSec') || provides(s, 'startIso') || (provides(s, 'startTicks') && s.meta.uptimeSec !== undefined);
}

/** Phrases for missing(): what to capture. */
export const CAPTURE = {
  states: 'no process states: capture `ps -eo pid,ppid,stat,wchan:32,lstart,args`',
  parents: 'no parent PIDs: capture `ps -eo pid,ppid,stat,etimes,args` (or `ps -ef`)',
  waits: 'no wchan or kernel stack: capture `ps -eLo pid,tid,stat,wchan:32,comm` and, as root, `grep -H . /proc/[0-9]*/task/*/stack`',
  args: 'no command lines: capture `ps -eo pid,ppid,stat,wchan:32,args` (or `ps auxww`)',
} as const;

/**
 * Kernel log lines the kernel-log parser kept as events (meta.notes): `kernel.nfs`
 * (`nfs: server batalix not responding, still trying`), `kernel.ceph` (libceph), `kernel.oom`,
 * `hung-task-suppressed`. Oldest first.
 */
export function kernelEvents(s: Snapshot, kind: 'kernel.nfs' | 'kernel.ceph' | 'kernel.oom' | 'hung-task-suppressed'): string[] {
  const t = s.meta.notes?.[kind];
  return t ? t.split('\n').filter((l) => l.trim() !== '') : [];
}

/** The input a kernel log came from, when one kernel-log source is in the snapshot. */
export function kernelLogInputName(s: Snapshot): string | undefined {
  const names = new Set(s.sources.filter((src) => src.format === 'kernel-log').map((src) => src.input));
  return names.size === 1 ? [...names][0] : undefined;
}

/** `missing()` of the rules that read states and parentage (zombies, shims): what to capture, or null. */
export function missingStatesOrParents(ctx: { current: Snapshot }): string | null {
  if (!hasStates(ctx.current)) return CAPTURE.states;
  if (!hasParents(ctx.current)) return CAPTURE.parents;
  return null;
}

/** `missing()` of the rules that read D states and their wait channels (or stacks). */
export function missingStatesOrWaits(ctx: { current: Snapshot }): string | null {
  if (!hasStates(ctx.current)) return CAPTURE.states;
  if (!hasWaits(ctx.current)) return CAPTURE.waits;
  return null;
}

/** As missingStatesOrWaits, but command lines (devices, paths) are enough to group D tasks. */
export function missingStatesOrWaitsOrArgs(ctx: { current: Snapshot }): string | null {
  if (!hasStates(ctx.current)) return CAPTURE.states;
  if (!hasWaits(ctx.current) && !provides(ctx.current, 'args')) return CAPTURE.waits;
  return null;
}
