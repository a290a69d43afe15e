// Time: process ages, when each moment was taken, and what changed between moments (D that
// persists with unchanged context switches, zombies and orphans that grow). heuristics.md §0:
// "Process age ≠ time in D. Time in D needs two captures or a hung-task line."
import type { Process, Snapshot } from '../model/index.ts';
import { pidMap, type Task } from './facts-tasks.ts';

/** Clock ticks per second for /proc/PID/stat starttime (USER_HZ is 100 on every mainstream arch). */
const USER_HZ = 100;

/** When a moment was taken, in seconds on some clock shared by all moments of one analysis; undefined if unknown. */
export function momentSec(s: Snapshot): number | undefined {
  const m = s.meta;
  if (m.uptimeSec !== undefined) return m.uptimeSec;
  const iso = m.takenAt ?? s.takenAt ?? undefined;
  if (iso) {
    const t = Date.parse(iso);
    if (!Number.isNaN(t)) return t / 1000;
  }
  if (m.clock) {
    const c = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(m.clock.trim());
    if (c) return Number(c[1]) * 3600 + Number(c[2]) * 60 + Number(c[3]);
  }
  return undefined;
}

/** Seconds between two moments when both are known (top's clock wraps at midnight: taken modulo a day). */
export function gapSec(a: Snapshot, b: Snapshot): number | undefined {
  const x = momentSec(a);
  const y = momentSec(b);
  if (x === undefined || y === undefined) return undefined;
  let d = y - x;
  if (a.meta.uptimeSec === undefined && !a.meta.takenAt && a.meta.clock && d < 0) d += 86400;
  return d;
}

/** A process's age in seconds: etimes/etime, else start vs capture time, else start ticks vs uptime. */
export function ageSec(p: Process, s: Snapshot): number | undefined {
  if (p.elapsedSec !== undefined) return p.elapsedSec;
  const taken = s.meta.takenAt ?? s.takenAt;
  if (p.startIso && taken) {
    const a = Date.parse(taken) - Date.parse(p.startIso);
    if (!Number.isNaN(a) && a >= 0) return a / 1000;
  }
  if (p.startTicks !== undefined && s.meta.uptimeSec !== undefined) {
    const a = s.meta.uptimeSec - p.startTicks / USER_HZ;
    if (a >= 0) return a;
  }
  return undefined;
}

/** `3d 4h`, `2h 05m`, `4m 10s`, `42s`. */
export function fmtDuration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

/** Whether `q` in another moment is the same process as `p` (not a reused PID). */
export function sameProcess(p: Process, q: Process): boolean {
  if (p.startTicks !== undefined && q.startTicks !== undefined) return p.startTicks === q.startTicks;
  if (p.startIso && q.startIso) return p.startIso === q.startIso;
  if (p.startRaw && q.startRaw && p.startRaw.length > 5) return p.startRaw === q.startRaw;
  const a = p.comm ?? p.args;
  const b = q.comm ?? q.args;
  return a === undefined || b === undefined || a === b;
}

export interface DPersistence {
  /** Moments that show this task, and how many of them show it in D. */
  seen: number;
  inD: number;
  /** Seconds from the first to the last moment showing it in D, when the moments have times. */
  spanSec?: number;
  /** Context switches (voluntary + nonvoluntary) at each D moment, when /proc status gave them. */
  ctxt: number[];
  /** True when ≥2 D moments have switch counts and they are all equal (khungtaskd's own test). */
  ctxtUnchanged?: boolean;
}

/** How a task's D state looks across every moment (the current one included). */
export function dPersistence(snapshots: readonly Snapshot[], t: Task): DPersistence {
  let seen = 0;
  let inD = 0;
  const ctxt: number[] = [];
  let first: Snapshot | undefined;
  let last: Snapshot | undefined;
  for (const s of snapshots) {
    const p = pidMap(s).get(t.pid);
    if (!p || !sameProcess(t.proc, p)) continue;
    let state = p.state;
    let c: number | undefined;
    const th = p.threads.find((x) => x.tid === t.tid);
    if (th) {
      state = th.state ?? (t.tid === t.pid ? p.state : null);
      if (th.ctxtVoluntary !== undefined || th.ctxtNonvoluntary !== undefined) c = (th.ctxtVoluntary ?? 0) + (th.ctxtNonvoluntary ?? 0);
    } else if (t.tid !== t.pid && p.threads.length > 0) {
      continue; // that moment does not show this thread
    }
    if (c === undefined && t.tid === t.pid && (p.ctxtVoluntary !== undefined || p.ctxtNonvoluntary !== undefined)) {
      c = (p.ctxtVoluntary ?? 0) + (p.ctxtNonvoluntary ?? 0);
    }
    seen++;
    if (state === 'D') {
      inD++;
      if (!first) first = s;
      last = s;
      if (c !== undefined) ctxt.push(c);
    }
  }
  const out: DPersistence = { seen, inD, ctxt };
  if (first && last && first !== last) {
    const g = gapSec(first, last);
    if (g !== undefined) out.spanSec = g;
  }
  if (ctxt.length >= 2) out.ctxtUnchanged = ctxt.every((x) => x === ctxt[0]);
  return out;
}

/** A value per moment (oldest first) and whether it only ever rose and ended above where it began. */
export function growth(values: readonly number[]): { first: number; last: number; growing: boolean } {
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  let monotone = true;
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) monotone = false;
  return { first, last, growing: values.length >= 2 && monotone && last > first };
}
