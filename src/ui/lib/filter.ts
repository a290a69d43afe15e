// One matcher for the search box and the state filter, shared by tree and table, so both views
// always agree on which processes are "in".
import type { Process } from '../../model/snapshot.ts';

export interface ProcessFilter {
  /** Free text: a PID, or part of a user, command or wait channel. */
  q: string;
  /** A state letter; a process matches when it or any of its threads is in that state. */
  state: string | null;
}

const haystacks = new WeakMap<Process, string>();

/** Lower-cased text the search looks through: user, command, comm, wchan (threads included). */
function haystack(p: Process): string {
  let h = haystacks.get(p);
  if (h === undefined) {
    const parts = [p.user ?? '', p.args ?? '', p.comm ?? '', p.wchan ?? ''];
    for (const t of p.threads) if (t.wchan && t.wchan !== p.wchan) parts.push(t.wchan);
    h = parts.join('\n').toLowerCase();
    haystacks.set(p, h);
  }
  return h;
}

export function commandOf(p: Process): string {
  return p.args || p.comm || '';
}

/** A process in `state`, or hiding a thread in it (an `Ssl` row with a `D` thread). */
export function hasState(p: Process, state: string): boolean {
  if (p.state === state) return true;
  for (const t of p.threads) if (t.state === state) return true;
  return false;
}

export function isActive(f: ProcessFilter): boolean {
  return f.q.trim() !== '' || f.state !== null;
}

/** Builds a predicate once per filter change; returns null when nothing is filtered. */
export function makeMatcher(f: ProcessFilter): ((p: Process) => boolean) | null {
  const q = f.q.trim().toLowerCase();
  const state = f.state;
  if (!q && !state) return null;
  const pid = /^\d+$/.test(q) ? Number(q) : null;
  return (p) => {
    if (state && !hasState(p, state)) return false;
    if (!q) return true;
    if (pid !== null && p.pid === pid) return true;
    return haystack(p).includes(q);
  };
}
