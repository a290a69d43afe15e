// snapshot: Capture[] → Snapshot[] (one per moment). Pure.
import type { Capture, IngestResult, Process, Snapshot } from '../model/index.ts';
import { joinCaptures } from './join.ts';
import { linkGraph } from './graph.ts';
import { StateTally } from './counts.ts';
import { momentsOf } from './timeline.ts';

export { ancestry, descendants } from './graph.ts';

export function buildSnapshots(result: IngestResult): Snapshot[] {
  return momentsOf(result.captures).map((captures, index, all) => buildSnapshot(captures, index, all.length));
}

export function buildSnapshot(captures: readonly Capture[], index = 0, of = 1): Snapshot {
  const joined = joinCaptures(captures);
  const tally = new StateTally();
  const roots = linkGraph(joined.processes, joined.byPid, tally);
  const takenAt = joined.meta.takenAt ?? null;
  const clock = joined.meta.clock;
  return {
    index,
    label: of === 1 ? (takenAt ?? clock ?? 'snapshot') : `moment ${index + 1} of ${of}${clock ? ` (${clock})` : takenAt ? ` (${takenAt})` : ''}`,
    takenAt,
    sources: joined.sources,
    processes: joined.processes,
    roots,
    kernelTasks: joined.kernelTasks,
    meta: joined.meta,
    counts: tally.counts(),
    conflicts: joined.conflicts,
  };
}

/** PID → process lookup for a snapshot (rebuilt where needed; Maps don't survive JSON). */
export function indexByPid(snapshot: Snapshot): Map<number, Process> {
  const m = new Map<number, Process>();
  for (const p of snapshot.processes) m.set(p.pid, p);
  return m;
}
