// Zombies and orphans: grouped by parent (heuristics.md §2.6: "zombies are grouped by PPID and then
// by the parent's state"), persistence across moments, and the zombie that is not dead at all (a
// thread-group leader whose other threads live on, P12).
import type { IngestResult, Process, Snapshot } from '../model/index.ts';
import { captureSet, memo, pidLookup } from './facts-tasks.ts';
import { ageSec, growth, momentSeriesBy, sameProcess } from './facts-time.ts';

/**
 * A Z row whose process still has live threads: `Zl`, NLWP > 1, RSS > 0, or shown threads that
 * are not Z. "Zombie ≠ process is gone when it is a thread-group leader with live threads".
 */
export function isDefunctLeaderWithThreads(p: Process): boolean {
  if (p.state !== 'Z') return false;
  if (p.stat && p.stat.slice(1).includes('l')) return true;
  if (p.nlwp !== undefined && p.nlwp > 1) return true;
  if (p.rssKiB !== undefined && p.rssKiB > 0) return true;
  return p.threads.some((t) => t.tid !== p.pid && t.state !== null && t.state !== 'Z' && t.state !== 'X');
}

/** A real zombie: Z and no live threads behind it. */
export function isTrueZombie(p: Process): boolean {
  return p.state === 'Z' && !isDefunctLeaderWithThreads(p);
}

/** True zombies by parent PID (capture tools' own zombies left out), children in PID order. */
export function zombiesByParent(s: Snapshot): Map<number, Process[]> {
  return memo(s, 'zombiesByParent', () => {
    const cap = captureSet(s);
    const m = new Map<number, Process[]>();
    for (const p of s.processes) {
      if (!isTrueZombie(p) || p.ppid === null || cap.has(p.pid)) continue;
      const list = m.get(p.ppid);
      if (list) list.push(p); else m.set(p.ppid, [p]);
    }
    return m;
  });
}

export interface ZombieTrend {
  /** Zombie count of this parent in each moment where the parent is present (oldest first). */
  counts: number[];
  growing: boolean;
  /** Zombies of the current moment also present (same process) in an earlier one. */
  carriedOver: number;
  /**
   * true: seen in ≥2 moments or older than 30 s (a few probe periods); false: a single capture
   * where every zombie is younger than 10 s (transient, normal); undefined: unknown ages.
   */
  persistent: boolean | undefined;
  /** Ages (seconds) of the current zombies that have one. */
  ages: number[];
}

const Z_MOMENTS = new WeakMap<IngestResult, Map<number, number>>();

/** PID → in how many moments of one input it shows as Z (the most over inputs). One pass over the rows. */
function zombieMoments(ingest: IngestResult): Map<number, number> {
  let m = Z_MOMENTS.get(ingest);
  if (m) return m;
  const perInput = new Map<string, Map<number, Set<string>>>();
  const repeats = new Map<string, number>();
  for (const c of ingest.captures) {
    // Repeats of one kind of listing in one input are moments (facts-time readingsIndex).
    const group = `${c.input}|${c.format}|${c.variant}`;
    const occ = repeats.get(group) ?? 0;
    repeats.set(group, occ + 1);
    const key = `${c.moment}#${occ}`;
    let byPid: Map<number, Set<string>> | undefined;
    for (const r of c.rows) {
      if (r.state !== 'Z' || r.kind !== 'process') continue;
      byPid ??= perInput.get(group) ?? new Map();
      perInput.set(group, byPid);
      const set = byPid.get(r.pid) ?? new Set<string>();
      set.add(key);
      byPid.set(r.pid, set);
    }
  }
  m = new Map();
  for (const byPid of perInput.values()) for (const [pid, set] of byPid) m.set(pid, Math.max(m.get(pid) ?? 0, set.size));
  Z_MOMENTS.set(ingest, m);
  return m;
}

const PERSIST_AGE = 30;
const TRANSIENT_AGE = 10;

export function zombieTrend(ingest: IngestResult, snapshots: readonly Snapshot[], current: Snapshot, parent: Process, zombies: readonly Process[]): ZombieTrend {
  // Counts per moment from the captures themselves (see momentSeries), else from the snapshots.
  let counts = momentSeriesBy(ingest, 'zombiesByPpid', (r) => (r.state === 'Z' ? r.ppid : undefined))(parent.pid);
  if (!counts) {
    counts = [];
    for (const s of snapshots) {
      const par = pidLookup(s).get(parent.pid);
      if (!par || !sameProcess(parent, par)) continue;
      counts.push(s === current ? zombies.length : (zombiesByParent(s).get(parent.pid)?.length ?? 0));
    }
  }
  // A zombie seen as Z in two moments of one input is carried over (persistent).
  let carriedOver = 0;
  const multi = counts.length >= 2;
  if (multi) {
    const seen = zombieMoments(ingest);
    for (const z of zombies) if ((seen.get(z.pid) ?? 0) >= 2) carriedOver++;
  }
  const earlier = multi ? [null] : [];
  const ages: number[] = [];
  for (const z of zombies) {
    const a = ageSec(z, current);
    if (a !== undefined) ages.push(a);
  }
  let persistent: boolean | undefined;
  if (carriedOver > 0 || ages.some((a) => a >= PERSIST_AGE)) persistent = true;
  else if (earlier.length > 0 && zombies.length > 0 && carriedOver === 0) persistent = false;
  else if (ages.length === zombies.length && ages.length > 0 && ages.every((a) => a < TRANSIENT_AGE)) persistent = false;
  return { counts, growing: growth(counts).growing, carriedOver, persistent, ages };
}
