// join: the captures of one moment → processes keyed by PID, threads under their process.
// Sources are merged in priority order (listings first, then /proc, then kernel logs); the first
// source to give a field wins, and a disagreement about state or parent is kept as a Conflict.
import { PidTable } from './pid-table.ts';
import type { Capture, Conflict, KernelTask, Meta, Process, Row, SourceInfo, SourceRef, StateLetter, Thread } from '../model/index.ts';

const PRIORITY: Record<string, number> = {
  ps: 0, 'busybox-ps': 1, top: 2, 'busybox-top': 3, 'proc-status': 4, 'proc-stat': 5,
  pstree: 6, 'proc-wchan': 7, 'proc-stack': 8, 'proc-cmdline': 9,
  loadavg: 10, 'proc-stat-global': 11, 'bundle-meta': 12, 'kernel-log': 13,
};

// Fields that describe the process as a whole; a thread row (ps -L) carries them too.
const PROCESS_FIELDS = ['ppid', 'pgid', 'sid', 'tpgid', 'tgid', 'uid', 'user', 'group', 'tty', 'args', 'pmem',
  'vszKiB', 'rssKiB', 'shrKiB', 'nlwp', 'elapsedSec', 'startRaw', 'startIso', 'startTicks', 'nspid', 'kthread',
  'tracerPid', 'extra'] as const;
// Fields of a thread (and of the main thread = the process row's own state).
const THREAD_FIELDS = ['stat', 'state', 'wchan', 'comm', 'pcpu', 'psr', 'nice', 'pri', 'cls', 'cpuTimeSec',
  'stack', 'ctxtVoluntary', 'ctxtNonvoluntary', 'truncated', 'depth'] as const;
// Row key → 1 process field, 2 thread field. Merging walks the row's own keys (a dozen) rather
// than every known field: this runs once per row, a million times for a big `ps aux`.
const FIELD_KIND: Record<string, number> = Object.create(null);
for (const f of PROCESS_FIELDS) FIELD_KIND[f] = 1;
for (const f of THREAD_FIELDS) FIELD_KIND[f] = 2;
const THREAD = 2;

/**
 * A process being built; it becomes the Process itself (no copy), the always-present fields first
 * for a stable shape. No builder object beside it (a million processes, a million fewer objects):
 * while joining, two placeholders that finishProcess fills last carry the join's own state.
 */
type Bag = Record<string, unknown> & {
  pid: number;
  src: SourceRef[];
  /**
   * The thread bags in the order first seen. A list, not a Map per process: `ps -eLf` gives a
   * million thread rows of a few threads each, and a thread's rows arrive together (findThread).
   */
  threads: ThreadBag[] | undefined;
  /** PROCESS_ROW once a source had a process-level row for it (not only thread rows). */
  children: number[] | undefined;
};
type ThreadBag = Record<string, unknown> & { tid: number; src: SourceRef[] };

const PROCESS_ROW: number[] = [];

/** Past this many threads a process gets a TID index; below it a short scan is cheaper. */
const THREAD_INDEX_AT = 16;
type ThreadIndexes = Map<number, Map<number, ThreadBag>>;

function findThread(b: Bag, tid: number, indexes: ThreadIndexes): ThreadBag | undefined {
  const list = b.threads;
  if (list === undefined) return undefined;
  if (list.length > THREAD_INDEX_AT) return indexes.get(b.pid)?.get(tid);
  for (let k = list.length - 1; k >= 0; k--) if (list[k].tid === tid) return list[k];
  return undefined;
}

function addThread(b: Bag, t: ThreadBag, indexes: ThreadIndexes): void {
  if (b.threads === undefined) { b.threads = [t]; return; }
  b.threads.push(t);
  if (b.threads.length <= THREAD_INDEX_AT) return;
  let index = indexes.get(b.pid);
  if (index === undefined) {
    index = new Map();
    for (const x of b.threads) index.set(x.tid, x);
    indexes.set(b.pid, index);
  } else {
    index.set(t.tid, t);
  }
}

export interface Joined {
  sources: SourceInfo[];
  /** Ascending by PID. */
  processes: Process[];
  /** The same processes by PID. */
  byPid: PidTable<Process>;
  kernelTasks: KernelTask[];
  meta: Meta;
  conflicts: Conflict[];
}

// The source list starts as `[ref]`, not `[]` + push: an empty array's first push reserves room
// for 17 entries, 130 bytes a process that nearly always has one or two sources.
function newBag(pid: number, ref: SourceRef): Bag {
  return {
    pid, ppid: undefined, state: undefined, stat: undefined, wchan: undefined,
    threads: undefined, children: undefined, depth: 0, subtreeSize: 1, subtreeThreads: 1,
    kernelTasks: undefined, isKernelThread: false, src: [ref],
  };
}

// State, STAT and wchan are always set on a Thread (null when unknown): placeholders from the start
// keep them in the object itself instead of a property store grown later (a million threads).
function newThreadBag(tid: number, ref: SourceRef): ThreadBag {
  return { tid, src: [ref], state: undefined, stat: undefined, wchan: undefined };
}

export function joinCaptures(captures: readonly Capture[]): Joined {
  const ordered = captures
    .map((c, i) => ({ c, i }))
    .sort((a, b) => (PRIORITY[a.c.format] ?? 99) - (PRIORITY[b.c.format] ?? 99) || a.i - b.i)
    .map((x) => x.c);
  const sources: SourceInfo[] = ordered.map((c) => ({ input: c.input, format: c.format, variant: c.variant, fields: c.fields }));
  held.length = 0; // (empty unless an earlier join was cut short by an exception)
  const builders = new PidTable<Bag>();
  const indexes: ThreadIndexes = new Map();
  const conflicts: Conflict[] = [];
  const meta: Meta = {};
  const kernelTasks: KernelTask[] = [];

  let hostViews = false;
  for (let s = 0; s < ordered.length; s++) {
    const cap = ordered[s];
    mergeMeta(meta, cap.meta);
    for (const kt of cap.kernelTasks) kernelTasks.push(kt);
    const rows = cap.rows;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k];
      const ref: SourceRef = { s, line: row.line };
      let b = builders.get(row.pid);
      if (b === undefined) {
        b = newBag(row.pid, ref);
        builders.add(row.pid, b);
      } else {
        b.src.push(ref);
      }
      if (row.nspid !== undefined) hostViews = true;
      // A row with a TID/LWP/SPID value is a thread row whatever the parser called it
      // (`ps -eLo pid,tid,…` prints one row per thread; `ps -o pid,tid` the main thread).
      if (row.kind === 'process' && row.tid === undefined) {
        // A bag this very row created has nothing to compare with: copy (most rows of a big paste).
        if (b.children === undefined && b.threads === undefined && b.src.length === 1) copyRow(b, row);
        else mergeRow(b, row, ref, conflicts);
        b.children = PROCESS_ROW;
      } else {
        // `ps auxm` prints thread rows without a TID (PID `-`): the first is the main thread; the
        // others get negative placeholder ids (-1, -2, …) so each still counts, never a real TID.
        const tid = row.tid ?? (b.threads !== undefined && findThread(b, row.pid, indexes) ? -b.threads.length : row.pid);
        let t = findThread(b, tid, indexes);
        if (t === undefined) { t = newThreadBag(tid, ref); addThread(b, t, indexes); } else t.src.push(ref);
        // Process-wide columns on thread rows (ps -eLf repeats PPID, user and command on every row).
        mergeThreadRow(t, b, row, ref, conflicts, tid);
      }
    }
  }

  if (hostViews) foldHostViews(builders);
  const processes: Process[] = [];
  const ownerOf = threadOwners(builders, kernelTasks);

  // `top -H` without a TGID column prints each thread as its own row keyed by TID: when that TID
  // is a known thread of another process, fold it into that process instead of inventing one.
  // All folds happen before any process is finished, so a folded thread is finished with its owner.
  const folded = new Set<Bag>();
  for (const b of builders.values()) {
    if (b.children !== PROCESS_ROW && b.threads !== undefined && b.threads.length === 1 && ownerOf.has(b.pid)) {
      const owner = builders.get(ownerOf.get(b.pid)!);
      const t = findThread(b, b.pid, indexes);
      if (owner && owner.threads && t && !folded.has(owner)) {
        const target = findThread(owner, b.pid, indexes);
        if (target) mergeThreadBag(target, t); else addThread(owner, t, indexes);
        folded.add(b);
      }
    }
  }
  const kthreadd = pid2IsKthreadd(builders, indexes);
  for (const b of folded) builders.delete(b.pid);
  // From here on the map holds the processes themselves: it is the snapshot's PID index.
  const byPid = builders as unknown as PidTable<Process>;
  let sorted = true;
  let lastPid = -1;
  for (const b of builders.values()) {
    processes.push(finishProcess(b, conflicts, kthreadd));
    if (b.pid < lastPid) sorted = false;
    lastPid = b.pid;
  }
  // Listings come in PID order, so a million processes usually need no sort.
  if (!sorted) processes.sort((a, b) => a.pid - b.pid);

  // Kernel tasks join by PID (and by host PID through NSpid, and by thread id); the comm must agree
  // when both are known, because dmesg PIDs are host PIDs and a namespace capture reuses numbers.
  const unmatched: KernelTask[] = [];
  if (kernelTasks.length) {
    const byHostPid = new Map<number, Process>();
    for (const p of processes) if (p.hostPid !== undefined) byHostPid.set(p.hostPid, p);
    for (const kt of kernelTasks) {
      const candidates = [byHostPid.get(kt.pid), byPid.get(kt.pid), byPid.get(ownerOf.get(kt.pid) ?? -1)];
      const match = candidates.find((p) => p !== undefined && commAgrees(p, kt));
      if (match) {
        if (match.kernelTasks === EMPTY_TASKS) match.kernelTasks = [];
        match.kernelTasks.push(kt);
      } else {
        unmatched.push(kt);
      }
    }
  }
  return { sources, processes, byPid, kernelTasks: unmatched, meta, conflicts };
}

// Shared empty lists for the common case (no threads shown, no kernel report): a million
// processes should not mean a million empty arrays. Replaced, never pushed to.
const EMPTY_THREADS: Thread[] = [];
const EMPTY_TASKS: KernelTask[] = [];
/** Shared by every leaf; linkGraph gives a process its own list when it has a child. */
export const NO_CHILDREN: number[] = [];

// Parent, group and session as seen from the host mean nothing inside the namespace.
// (`threads` and `children` hold the join's own state of the host view: not carried over.)
const HOST_ONLY = new Set(['ppid', 'pgid', 'sid', 'tpgid', 'tgid', 'threads', 'children']);

/**
 * TID → PID of the process that lists it as a non-main thread, for the TIDs the join asks about:
 * PIDs of processes seen only as one thread row (the top -H fold below) and kernel-task PIDs.
 * A TID listed by several processes belongs to the last one, as before. Asking only about those
 * keeps `ps -eLf` (a million threads, none of them asked about) from building a million-entry map.
 */
function threadOwners(builders: PidTable<Bag>, kernelTasks: readonly KernelTask[]): Map<number, number> {
  const asked = new Set<number>();
  for (const b of builders.values()) if (b.children !== PROCESS_ROW && b.threads !== undefined && b.threads.length === 1) asked.add(b.pid);
  for (const kt of kernelTasks) asked.add(kt.pid);
  const owners = new Map<number, number>();
  if (asked.size === 0) return owners;
  for (const b of builders.values()) {
    if (b.threads === undefined) continue;
    for (const t of b.threads) if (t.tid !== b.pid && asked.has(t.tid)) owners.set(t.tid, b.pid);
  }
  return owners;
}

/**
 * A host-side /proc status (`Pid: 16593`, `NSpid:	16593	2`) of a process that the other inputs
 * show inside its PID namespace as PID 2: fold the host view into the namespace process (its host
 * PID is then known) instead of keeping two processes. Only when the names agree, since PID 2 is
 * also kthreadd on a host.
 */

function foldHostViews(builders: PidTable<Bag>): void {
  for (const b of [...builders.values()]) {
    const ns = b.nspid as number[] | undefined;
    if (!ns || ns.length < 2 || ns[0] !== b.pid) continue;
    const inner = builders.get(ns[ns.length - 1]);
    if (!inner || inner === b) continue;
    const a = (inner.comm ?? (inner.args as string | undefined)?.split(/\s+/, 1)[0]?.replace(/^.*\//, '')) as string | undefined;
    const h = b.comm as string | undefined;
    if (a === undefined || h === undefined || !(a.startsWith(h.slice(0, 15)) || h.startsWith(a.slice(0, 15)))) continue;
    for (const [k, v] of Object.entries(b)) if (v !== undefined && inner[k] === undefined && !HOST_ONLY.has(k)) inner[k] = v;
    // The namespace's own status says `NSpid: 2`; the host's says `NSpid: 16593 2`: keep the longer.
    const own = inner.nspid as number[] | undefined;
    if (own === undefined || own.length < ns.length) inner.nspid = ns;
    inner.src.push(...b.src);
    builders.delete(b.pid);
  }
}

function commAgrees(p: Process, kt: KernelTask): boolean {
  const comm = p.comm ?? p.args?.split(/\s+/, 1)[0]?.replace(/^.*\//, '');
  if (!comm) return true;
  // comm is cut at 15 bytes by the kernel; hung-task lines print the same comm.
  return comm.startsWith(kt.comm.slice(0, 15)) || kt.comm.startsWith(comm.slice(0, 15)) ||
    (p.threads.some((t) => t.tid === kt.pid && (t.comm === undefined || t.comm.startsWith(kt.comm.slice(0, 15)))));
}

/** The fields of a process row into a bag that has none of them yet. */
function copyRow(b: Bag, row: Row): void {
  const r = row as unknown as Record<string, unknown>;
  for (const f in r) {
    if (FIELD_KIND[f] === undefined) continue;
    const v = r[f];
    if (v !== undefined) b[f] = v;
  }
}

/** A process row: every field it has goes to the process (its own state is the main thread's). */
function mergeRow(b: Bag, row: Row, ref: SourceRef, conflicts: Conflict[]): void {
  const r = row as unknown as Record<string, unknown>;
  for (const f in r) {
    if (FIELD_KIND[f] === undefined) continue;
    const v = r[f];
    if (v !== undefined) mergeField(b, f, v, b, ref, conflicts, undefined);
  }
}

// Conflicts about process fields met on a thread row, held back so they follow the row's thread
// conflicts, as when the row was merged in two passes.
const held: Conflict[] = [];

/** A thread row in one pass over its keys: thread fields to the thread, the rest to the process. */
function mergeThreadRow(t: ThreadBag, b: Bag, row: Row, ref: SourceRef, conflicts: Conflict[], tid: number): void {
  const r = row as unknown as Record<string, unknown>;
  for (const f in r) {
    const kind = FIELD_KIND[f];
    if (kind === undefined) continue;
    const v = r[f];
    if (v === undefined) continue;
    if (kind === THREAD) mergeField(t, f, v, b, ref, conflicts, tid);
    else mergeField(b, f, v, b, ref, held, undefined);
  }
  if (held.length) { for (const c of held) conflicts.push(c); held.length = 0; }
}

function mergeField(target: Record<string, unknown>, f: string, v: unknown, b: Bag, ref: SourceRef, conflicts: Conflict[], tid: number | undefined): void {
  const cur = target[f];
  if (cur === undefined) { target[f] = v; return; }
  // A full command line or name beats one cut at a terminal width (`vfork_d+` in 80-column top
  // vs `vfork_dparent` in pstree): take the longer value that starts with the cut one.
  if ((f === 'args' || f === 'comm') && typeof v === 'string' && typeof cur === 'string' && target.truncated &&
      v.length > cur.length && v.startsWith(cur.replace(/\+$/, ''))) {
    target[f] = v;
    // Deleted, not set to undefined: finishProcess does not sweep for undefined values.
    if (f === 'args') delete target.truncated;
    return;
  }
  if ((f === 'state' || f === 'ppid') && cur !== v && v !== null && cur !== null) {
    conflicts.push({
      pid: b.pid, tid, field: f,
      values: [{ value: String(cur), src: b.src[0] }, { value: String(v), src: ref }],
      message: `inputs disagree on the ${f === 'state' ? 'state' : 'parent'} of ${tid !== undefined && tid !== b.pid ? `thread ${tid} of ` : ''}PID ${b.pid}: ${String(cur)} vs ${String(v)} (captured at different instants?)`,
    });
  }
}

function mergeThreadBag(target: ThreadBag, from: ThreadBag): void {
  for (const [k, v] of Object.entries(from)) {
    if (k === 'src') (target.src as SourceRef[]).push(...(v as SourceRef[]));
    else if (target[k] === undefined) target[k] = v;
  }
}

function mergeMeta(meta: Meta, from: Meta): void {
  const m = meta as Record<string, unknown>;
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined) continue;
    if (k === 'notes' && m.notes) m.notes = { ...(m.notes as object), ...(v as object) };
    else if (m[k] === undefined) m[k] = v;
  }
}

/**
 * Whether PID 2 is kthreadd (a host view): only then is "PPID 2" a kernel thread. Inside a PID
 * namespace PID 2 is an ordinary process (samples/ppid-zero-namespace: `2 0 … bash`).
 */
function pid2IsKthreadd(builders: PidTable<Bag>, indexes: ThreadIndexes): boolean {
  const b = builders.get(2);
  if (!b) return false;
  const name = (b.comm ?? b.args ?? findThread(b, 2, indexes)?.comm) as string | undefined;
  return b.kthread === true || name === 'kthreadd' || name === '[kthreadd]';
}

function finishProcess(bag: Bag, conflicts: Conflict[], kthreadd: boolean): Process {
  const pid = bag.pid;
  let threads = EMPTY_THREADS;
  let main: Thread | undefined;
  if (bag.threads !== undefined) {
    // The bags become the Threads: no copy.
    threads = bag.threads as unknown as Thread[];
    let ascending = true;
    for (let k = 0; k < threads.length; k++) {
      const t = threads[k] as unknown as ThreadBag;
      if (t.state === undefined) t.state = null;
      if (t.stat === undefined) t.stat = null;
      if (t.wchan === undefined) t.wchan = null;
      if (k > 0 && t.tid < threads[k - 1].tid) ascending = false;
      if (main === undefined && t.tid === pid) main = threads[k];
    }
    if (!ascending) threads.sort((x, y) => x.tid - y.tid);
  }
  // A process's STAT is its main thread's state. Under `ps m` the process row prints STAT `-`
  // (state undefined); then the main thread row gives it.
  let state = (bag.state as StateLetter | null | undefined) ?? null;
  let stat = (bag.stat as string | undefined) ?? null;
  if (stat === '-') stat = null;
  if (state === null && main) { state = main.state; stat = stat ?? main.stat; }
  // …and the other way round: a thread listing without STAT (`ps -eLf`) beside `ps aux` still
  // knows the main thread's state, since that is what the process row printed.
  if (main && main.state === null && state !== null) { main.state = state; main.stat = stat; }
  let wchan = (bag.wchan as string | null | undefined) ?? null;
  if (wchan === null && main) wchan = main.wchan;
  if (bag.comm === undefined && main?.comm !== undefined) { bag.comm = main.comm; if (main.truncated) bag.truncated = true; }

  // Never let a D thread hide behind its process row: say so where the main thread looks fine.
  if (state !== null && state !== 'D') {
    for (const t of threads) {
      if (t.tid !== pid && t.state === 'D') {
        conflicts.push({
          pid: pid, tid: t.tid, field: 'state',
          values: [{ value: stat ?? state, src: bag.src[0] }, { value: t.stat ?? 'D', src: t.src[0] ?? bag.src[0] }],
          message: `PID ${pid} shows ${stat ?? state} but its thread ${t.tid}${t.comm ? ` (${t.comm})` : ''} is in D${t.wchan ? ` on ${t.wchan}` : ''}`,
        });
      }
    }
  }
  const nspid = bag.nspid as number[] | undefined;
  const args = bag.args as string | undefined;
  const ppid = (bag.ppid as number | undefined) ?? null;
  bag.ppid = ppid;
  bag.state = state;
  bag.stat = stat;
  bag.wchan = wchan;
  bag.threads = threads as unknown as ThreadBag[];
  bag.children = NO_CHILDREN;
  bag.subtreeThreads = Math.max(1, threads.length);
  bag.kernelTasks = EMPTY_TASKS;
  if (nspid && nspid.length > 1 && nspid[0] !== pid) bag.hostPid = nspid[0];
  // Kernel threads own no memory: a `[cat]` row with RSS 1752 is a user process whose cmdline
  // was unreadable (exiting), whatever the brackets suggested.
  const hasMemory = ((bag.vszKiB as number | undefined) ?? 0) > 0 || ((bag.rssKiB as number | undefined) ?? 0) > 0;
  bag.isKernelThread = !hasMemory && (bag.kthread === true || (kthreadd && (pid === 2 || ppid === 2)) ||
    (args !== undefined && args.startsWith('[') && args.endsWith(']') && state !== 'Z'));
  // Fields no input gave stay absent, not `undefined`-valued (JSON and views test `in`): every
  // placeholder of newBag has been given a value above, and merges never store undefined.
  return bag as unknown as Process;
}
