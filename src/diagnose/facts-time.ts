// Time: process ages, when each moment was taken, and what changed between moments (D that
// persists with unchanged context switches, zombies and orphans that grow). heuristics.md §0:
// "Process age ≠ time in D. Time in D needs two captures or a hung-task line."
import type { Capture, IngestResult, Process, Snapshot } from '../model/index.ts';
import { memo, tasksInStates, type Task } from './facts-tasks.ts';

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
  return memo(s, 'momentFromRows', () => momentFromRows(s));
}

/**
 * A moment's time from its own rows: `ps -o lstart,etimes` gives start + age = when ps ran
 * (`22 1 R - Thu Nov 26 18:40:03 2026 0 ps -eo …`). The most common value wins.
 */
function momentFromRows(s: Snapshot): number | undefined {
  const votes = new Map<number, number>();
  let n = 0;
  for (const p of s.processes) {
    if (p.startIso === undefined || p.elapsedSec === undefined) continue;
    const t = Date.parse(p.startIso);
    if (Number.isNaN(t)) continue;
    const at = Math.round(t / 1000 + p.elapsedSec);
    votes.set(at, (votes.get(at) ?? 0) + 1);
    if (++n > 200) break;
  }
  let best: number | undefined;
  let bestVotes = 0;
  for (const [at, v] of votes) if (v > bestVotes || (v === bestVotes && best !== undefined && at > best)) { best = at; bestVotes = v; }
  return best;
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
  /** Distinct moments that show this task's state, and how many of them show it in D. */
  seen: number;
  inD: number;
  /** D in at least two distinct moments (two sections/moments of one input, or readings ≥10 s apart). */
  persistent: boolean;
  /** Seconds between the first and last D reading, when the readings have times. */
  spanSec?: number;
  /** Context switches (voluntary + nonvoluntary) of each distinct D reading that had them, oldest first. */
  ctxt: number[];
  /** True when ≥2 D readings have switch counts and they are all equal (khungtaskd's own test). */
  ctxtUnchanged?: boolean;
}

/** One row about a task in one capture: what the input said at that moment. */
interface Reading {
  /** input + format + variant: readings of one kind of listing in one input. */
  group: string;
  /** Which moment the ingest gave it and which repeat of that listing in the input it is. */
  occurrence: string;
  state: string | null | undefined;
  ctxt?: number;
  /** When the capture was taken, in seconds, if its rows tell (lstart + etimes) or its meta does. */
  at?: number;
}

const DISTINCT_SEC = 10;

interface ReadingsIndex {
  /** taskKey(pid, tid) → readings, for every PID in `indexed`. */
  byTask: Map<number, Reading[]>;
  indexed: Set<number>;
  /** Whether the first miss already took every PID the rules ask about (see readingsIndex). */
  bulk: boolean;
}
const READINGS = new WeakMap<IngestResult, ReadingsIndex>();

/** One number for pid/tid (both below 2^23, the kernel's PID_MAX_LIMIT is 2^22): no string per row or lookup. */
function taskKey(pid: number, tid: number): number {
  return pid * 8388608 + tid;
}
function captureTime(c: Capture): number | undefined {
  if (c.meta.uptimeSec !== undefined) return c.meta.uptimeSec;
  if (c.meta.takenAt) { const t = Date.parse(c.meta.takenAt); if (!Number.isNaN(t)) return t / 1000; }
  return timeFromStartAndAge(c);
}

/**
 * When a ps with lstart and etimes ran: start + age, the value most rows agree on (first 200 rows)
 * (`16 1 R - Thu Nov 26 19:00:04 2026 0 ps -eo …`). Epoch seconds, or undefined.
 */
export function timeFromStartAndAge(c: Capture): number | undefined {
  const votes = new Map<number, number>();
  let n = 0;
  for (const r of c.rows) {
    if (r.startIso === undefined || r.elapsedSec === undefined) continue;
    const t = Date.parse(r.startIso);
    if (Number.isNaN(t)) continue;
    const at = Math.round(t / 1000 + r.elapsedSec);
    votes.set(at, (votes.get(at) ?? 0) + 1);
    if (++n > 200) break;
  }
  let best: number | undefined;
  let bv = 0;
  for (const [at, v] of votes) if (v > bv) { best = at; bv = v; }
  return best;
}

/**
 * Every reading of the given tasks across all captures (rows keyed pid/tid), built once per ingest.
 * Rules ask task by task, and one scan of every capture per task was O(rows × D tasks): 57 s for
 * 5000 D tasks in 190k rows. So the first miss reads, in one scan, every PID the D rules can ask
 * about — any PID in D in a moment (process or thread) and every PID a kernel report names —
 * with the ones asked; a later miss (a task never in D) scans once for its PIDs alone.
 */
function readingsIndex(ingest: IngestResult, pids: Iterable<number>, snapshots: readonly Snapshot[] = []): Map<number, Reading[]> {
  let ri = READINGS.get(ingest);
  if (!ri) { ri = { byTask: new Map(), indexed: new Set(), bulk: false }; READINGS.set(ingest, ri); }
  let want: Set<number> | undefined;
  for (const p of pids) if (!ri.indexed.has(p)) (want ??= new Set()).add(p);
  if (!want) return ri.byTask;
  if (!ri.bulk) {
    ri.bulk = true;
    // The D tasks of every moment (the rules already listed them: no pass over a million rows) and
    // every PID a kernel report names.
    for (const s of snapshots) for (const t of tasksInStates(s, 'D')) if (!ri.indexed.has(t.pid)) want.add(t.pid);
    for (const c of ingest.captures) for (const kt of c.kernelTasks) if (!ri.indexed.has(kt.pid)) want.add(kt.pid);
  }
  for (const p of want) ri.indexed.add(p);
  const idx = ri.byTask;
  // A bundle holds many sections of one instant (ps, ps -L, /proc status): different kinds of
  // listing are one moment. Two sections of the same kind in one input (`$ ps …` pasted twice, two
  // /proc status dumps) are two moments, even where the ingest gave them one moment number.
  const repeats = new Map<string, number>();
  for (const c of ingest.captures) {
    const group = `${c.input}|${c.format}|${c.variant}`;
    const occ = repeats.get(group) ?? 0;
    repeats.set(group, occ + 1);
    const occurrence = `${c.moment}#${occ}`;
    let at: number | undefined;
    let atDone = false;
    for (const r of c.rows) {
      if (!want.has(r.pid)) continue;
      const hasCtxt = r.ctxtVoluntary !== undefined || r.ctxtNonvoluntary !== undefined;
      if (r.state === undefined && !hasCtxt) continue;
      if (!atDone) { at = captureTime(c); atDone = true; }
      const tid = r.kind === 'thread' ? (r.tid ?? r.pid) : r.pid;
      const key = taskKey(r.pid, tid);
      const reading: Reading = { group, occurrence, state: r.state };
      if (hasCtxt) reading.ctxt = (r.ctxtVoluntary ?? 0) + (r.ctxtNonvoluntary ?? 0);
      if (at !== undefined) reading.at = at;
      const list = idx.get(key);
      if (list) list.push(reading); else idx.set(key, [reading]);
    }
  }
  return idx;
}

/** Distinct moments among readings: per kind of listing in one input, its repeats; across inputs, times ≥10 s apart. */
function distinctMoments(rs: readonly Reading[]): number {
  if (rs.length === 0) return 0;
  let best = 1;
  const perGroup = new Map<string, Set<string>>();
  for (const r of rs) {
    const set = perGroup.get(r.group) ?? new Set<string>();
    set.add(r.occurrence);
    perGroup.set(r.group, set);
  }
  for (const set of perGroup.values()) best = Math.max(best, set.size);
  const times = rs.map((r) => r.at).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  let buckets = 0;
  let last = -Infinity;
  for (const t of times) if (t - last >= DISTINCT_SEC) { buckets++; last = t; }
  return Math.max(best, buckets);
}

/**
 * How a task's D state looks across every capture: distinct moments of one input (top -n3, two
 * pastes, two /proc status dumps) or readings ≥10 s apart. Readings are taken from the captures
 * themselves, because an input with one moment belongs to every snapshot and would otherwise look
 * like a second reading of the same instant.
 */
const PERSISTENCE = new WeakMap<Task, { ingest: IngestResult; snapshots: readonly Snapshot[]; value: DPersistence }>();

export function dPersistence(ingest: IngestResult, snapshots: readonly Snapshot[], t: Task): DPersistence {
  // Five rules ask about the same D tasks (a cluster of 31k asks 31k times): once per task.
  const hit = PERSISTENCE.get(t);
  if (hit && hit.ingest === ingest && hit.snapshots === snapshots) return hit.value;
  const value = persistenceOf(ingest, snapshots, t);
  PERSISTENCE.set(t, { ingest, snapshots, value });
  return value;
}

function persistenceOf(ingest: IngestResult, snapshots: readonly Snapshot[], t: Task): DPersistence {
  const idx = readingsIndex(ingest, [t.pid], snapshots);
  // Process rows and a thread row with TID = PID share the key pid/pid: the main thread.
  const rs = idx.get(taskKey(t.pid, t.tid)) ?? [];
  if (rs.length <= 1) {
    // One reading (a single ps): one moment at most, nothing persists — what the general path below
    // gives for it, without its lists and maps (asked for every task of a 30k-task cluster).
    const r = rs[0];
    const known = r !== undefined && r.state !== undefined && r.state !== null;
    return {
      seen: known ? 1 : 0, inD: known && r.state === 'D' ? 1 : 0, persistent: false,
      ctxt: r !== undefined && r.ctxt !== undefined && (r.state === 'D' || r.state === undefined) ? [r.ctxt] : [],
    };
  }
  const withState = rs.filter((r) => r.state !== undefined && r.state !== null);
  const dReadings = withState.filter((r) => r.state === 'D');
  const seen = distinctMoments(withState);
  const inD = distinctMoments(dReadings);
  const out: DPersistence = { seen, inD, persistent: inD >= 2, ctxt: [] };
  const times = dReadings.map((r) => r.at).filter((x): x is number => x !== undefined);
  if (times.length >= 2) {
    const span = maxOf(times) - minOf(times);
    if (span > 0) out.spanSec = span;
  }
  if (out.spanSec === undefined && inD >= 2 && snapshots.length >= 2) {
    const g = gapSec(snapshots[0], snapshots[snapshots.length - 1]);
    if (g !== undefined && g > 0) out.spanSec = g;
  }
  // Context switches: readings that also say D (a /proc status section carries both), one per distinct section.
  const ctxtReadings = rs.filter((r) => r.ctxt !== undefined && (r.state === 'D' || r.state === undefined));
  const byOccurrence = new Map<string, number>();
  for (const r of ctxtReadings) byOccurrence.set(`${r.group}/${r.occurrence}`, r.ctxt!);
  out.ctxt = [...byOccurrence.values()];
  const perGroup = new Map<string, number[]>();
  for (const r of ctxtReadings) {
    const l = perGroup.get(r.group) ?? [];
    l.push(r.ctxt!);
    perGroup.set(r.group, l);
  }
  for (const vals of perGroup.values()) {
    if (vals.length < 2) continue;
    const same = vals.every((v) => v === vals[0]);
    if (!same) { out.ctxtUnchanged = false; break; }
    out.ctxtUnchanged = true;
  }
  return out;
}

/**
 * A count per moment, oldest first, from the input that shows the most moments (two pastes, top
 * -n3, two `$ ps` sections): how many of its rows match. Taken from the captures because an input
 * with one moment belongs to every snapshot (a `ps aux` taken after the second moment would make
 * the first moment look like the second). undefined when no input has two moments with a match.
 */
export function momentSeries(ingest: IngestResult, match: (r: Capture['rows'][number]) => boolean): number[] | undefined {
  // Per kind of listing in one input: its repeats are the moments (see readingsIndex).
  const perInput = new Map<string, Map<string, number>>();
  const repeats = new Map<string, number>();
  for (const c of ingest.captures) {
    const group = `${c.input}|${c.format}|${c.variant}`;
    const occ = repeats.get(group) ?? 0;
    repeats.set(group, occ + 1);
    if (c.rows.length === 0 || !c.fields.includes('state')) continue;
    let n = 0;
    for (const r of c.rows) if (r.kind === 'process' && match(r)) n++;
    const groups = perInput.get(group) ?? new Map<string, number>();
    groups.set(`${c.moment}#${occ}`, n);
    perInput.set(group, groups);
  }
  let best: number[] | undefined;
  for (const groups of perInput.values()) {
    const counts = [...groups.values()];
    if (counts.length < 2 || counts.every((x) => x === 0)) continue;
    // Most moments first; on a tie the fuller listing (a /proc dump of a few PIDs sees less than ps).
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    if (!best || counts.length > best.length || (counts.length === best.length && sum(counts) > sum(best))) best = counts;
  }
  return best;
}

type SeriesGroups = Array<Array<Map<number, number>>>;
const SERIES = new WeakMap<IngestResult, Map<string, SeriesGroups>>();

/**
 * momentSeries for many keys at once: `series(k)` is momentSeries(ingest, (r) => keyOf(r) === k),
 * with every capture read once for all keys (`name` caches it per ingest). Rules ask per parent, and
 * a pass over every row per parent was O(rows × parents).
 */
export function momentSeriesBy(ingest: IngestResult, name: string, keyOf: (r: Capture['rows'][number]) => number | null | undefined): (key: number) => number[] | undefined {
  let cache = SERIES.get(ingest);
  if (!cache) { cache = new Map(); SERIES.set(ingest, cache); }
  let groups = cache.get(name);
  if (!groups) {
    // Same moments as momentSeries: per kind of listing in one input, its repeats.
    const perInput = new Map<string, Array<Map<number, number>>>();
    const repeats = new Map<string, number>();
    for (const c of ingest.captures) {
      const group = `${c.input}|${c.format}|${c.variant}`;
      repeats.set(group, (repeats.get(group) ?? 0) + 1);
      if (c.rows.length === 0 || !c.fields.includes('state')) continue;
      const counts = new Map<number, number>();
      for (const r of c.rows) {
        if (r.kind !== 'process') continue;
        const k = keyOf(r);
        if (k !== null && k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const list = perInput.get(group);
      if (list) list.push(counts); else perInput.set(group, [counts]);
    }
    groups = [...perInput.values()];
    cache.set(name, groups);
  }
  const gs = groups;
  return (key) => {
    let best: number[] | undefined;
    let bestSum = 0;
    for (const moments of gs) {
      if (moments.length < 2) continue;
      let sum = 0;
      const counts = moments.map((m) => { const n = m.get(key) ?? 0; sum += n; return n; });
      if (sum === 0) continue;
      if (!best || counts.length > best.length || (counts.length === best.length && sum > bestSum)) { best = counts; bestSum = sum; }
    }
    return best;
  };
}

/** Largest / smallest of a list without spreading it into arguments (Math.max(...xs) throws past ~150k values: a parent with 200k zombies). */
export function maxOf(xs: readonly number[], empty = 0): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m === -Infinity ? empty : m;
}
export function minOf(xs: readonly number[], empty = 0): number {
  let m = Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] < m) m = xs[i];
  return m === Infinity ? empty : m;
}

/** A value per moment (oldest first) and whether it only ever rose and ended above where it began. */
export function growth(values: readonly number[]): { first: number; last: number; growing: boolean } {
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  let monotone = true;
  for (let i = 1; i < values.length; i++) if (values[i] < values[i - 1]) monotone = false;
  return { first, last, growing: values.length >= 2 && monotone && last > first };
}
