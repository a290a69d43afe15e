// Tasks: what the kernel schedules. A process row shows only its main thread ("A process's STAT is
// only its main thread": formats.md §1.6, `169 Ssl` while thread 210 was `Dsl percpu_rwsem_wait`),
// so every rule looks at threads wherever the input has them, and at the process row otherwise.
// Kernel tasks from hung-task/SysRq-w reports that matched no process become tasks of their own.
import type { KernelTask, Process, Snapshot, StateLetter, Thread } from '../model/index.ts';
import { indexByPid } from '../snapshot/index.ts';
import { familiesOf, familiesOfTruncated, meaningfulFrames, normSym, topFrame, type SymbolFamily } from './facts-symbols.ts';
import { deviceOfKernelThread, deviceOfWorkqueue, devicesInArgs, type Device } from './facts-devices.ts';

export interface Task {
  proc: Process;
  /** The thread row when the input showed threads; undefined when the process row stands for its main thread. */
  thread?: Thread;
  pid: number;
  tid: number;
  state: StateLetter | null;
  stat: string | null;
  /** Normalised wait channel ('' when unknown, running, or `*`). */
  wchan: string;
  /** The wchan exactly as printed (for evidence). */
  wchanRaw: string | null;
  /** Thread name when shown, else the process name. */
  comm: string;
  /** Kernel stack frames (innermost first): the thread's, the process's for the main thread, or a kernel report's. */
  stack: readonly string[];
  /** Hung-task / SysRq reports about this task. */
  reports: readonly KernelTask[];
  /** voluntary + nonvoluntary context switches, when /proc status gave them. */
  ctxt?: number;
  /** True for a task known only from a kernel report (no process row; PIDs there may be host PIDs). */
  kernelOnly: boolean;
  /** A kernel thread (isKthread). */
  kthread: boolean;
}

// ---------------------------------------------------------------------------------------------
// Per-snapshot cache: rules share one pass over the processes.

interface SnapFacts {
  byPid?: PidLookup;
  map?: Map<number, Process>;
  tasks?: Task[];
  /** How many of `tasks` are process tasks (the kernel-only ones follow), and whether they are in PID order. */
  procTasks?: number;
  tasksSorted?: boolean;
  /** PID → its tasks, when `tasks` are not in PID order (built on the first tasksOfProcess). */
  tasksByPid?: Map<number, Task[]>;
  capture?: Set<number>;
  memo: Map<string, unknown>;
}
const CACHE = new WeakMap<Snapshot, SnapFacts>();
function factsOf(s: Snapshot): SnapFacts {
  let f = CACHE.get(s);
  if (!f) { f = { memo: new Map() }; CACHE.set(s, f); }
  return f;
}

/** Compute something about a snapshot once and share it between rules (keyed by a name). */
export function memo<T>(s: Snapshot, key: string, compute: () => T): T {
  const m = factsOf(s).memo;
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}

/** PID → process. Snapshots keep processes ascending by PID, so a lookup is a binary search: no
 * 1M-entry Map to build (half a second) just to find a few parents. */
export interface PidLookup {
  get(pid: number): Process | undefined;
  has(pid: number): boolean;
}

export function pidLookup(s: Snapshot): PidLookup {
  const f = factsOf(s);
  if (f.byPid) return f.byPid;
  const ps = s.processes;
  let sorted = true;
  for (let i = 1; i < ps.length; i++) if (ps[i].pid <= ps[i - 1].pid) { sorted = false; break; }
  if (!sorted) {
    // Not as the model promises: fall back to a Map.
    const m = indexByPid(s);
    f.byPid = { get: (pid) => m.get(pid), has: (pid) => m.has(pid) };
    return f.byPid;
  }
  const get = (pid: number): Process | undefined => {
    let lo = 0;
    let hi = ps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ps[mid].pid;
      if (v === pid) return ps[mid];
      if (v < pid) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  };
  f.byPid = { get, has: (pid) => get(pid) !== undefined };
  return f.byPid;
}

/** PID → process as a Map (built once per snapshot; prefer pidLookup, which builds nothing). */
export function pidMap(s: Snapshot): Map<number, Process> {
  const f = factsOf(s);
  if (!f.map) f.map = indexByPid(s);
  return f.map;
}

/** PIDs from the process up to its root, the process first (cycle-safe). */
export function ancestorsOf(s: Snapshot, pid: number): number[] {
  const byPid = pidLookup(s);
  const chain: number[] = [];
  const seen = new Set<number>();
  let p = byPid.get(pid);
  while (p && !seen.has(p.pid)) {
    chain.push(p.pid);
    seen.add(p.pid);
    p = p.ppid !== null ? byPid.get(p.ppid) : undefined;
  }
  return chain;
}

// ---------------------------------------------------------------------------------------------
// Names

/** The basename of the first argument (`/usr/sbin/fsck.ext4 -a /dev/rbd3` → `fsck.ext4`). One scan, no regex: it runs per process. */
export function argv0(args: string | null | undefined): string {
  if (!args) return '';
  const n = args.length;
  let i = 0;
  while (i < n && (args.charCodeAt(i) === 32 || args.charCodeAt(i) === 9)) i++;
  if (i < n && args.charCodeAt(i) === 91 /* [ */) {
    const close = args.indexOf(']', i);
    if (close > i) return args.slice(i + 1, close);
  }
  let end = i;
  let base = i;
  for (; end < n; end++) {
    const c = args.charCodeAt(end);
    if (c === 32 || c === 9 || c === 10) break;
    if (c === 47 /* / */ && end + 1 < n) base = end + 1;
  }
  if (base >= end) base = i;
  // login shells: `-bash`; rewritten titles `postgres:`.
  if (args.charCodeAt(base) === 45 /* - */ && end - base > 1) base++;
  if (end - base > 1 && args.charCodeAt(end - 1) === 58 /* : */) end--;
  return args.slice(base, end);
}

/**
 * Whether a process's command line or comm contains `word` anywhere. A test without copying a string,
 * for rules that scan every process for one kind of program: argv0/procName slice a name per row.
 * Every name argv0 or procName can return is a piece of args or comm, so a row that fails this has
 * no name containing `word`.
 */
export function mentions(p: Process, word: string): boolean {
  return (p.args !== null && p.args !== undefined && p.args.includes(word)) || (p.comm !== null && p.comm !== undefined && p.comm.includes(word));
}

/** Whether the input named the process at all (comm or args). */
export function hasName(p: Process): boolean {
  return Boolean(p.comm || argv0(p.args));
}

/** The name an SRE knows a process by: comm, else argv0, else `PID n`. Zombie comm `fix <defunct>` (procps 4.0.5) is trimmed. */
export function procName(p: Process): string {
  let c = p.comm ?? '';
  if (c.endsWith(' <defunct>')) c = c.slice(0, -10);
  if (c) return c;
  const a = argv0(p.args);
  return a || `PID ${p.pid}`;
}

/** `fsck.ext4 (21979)`, `python3 (169, thread 210)`, `[jbd2/rbd0-8] (412)`. */
export function taskLabel(t: Task): string {
  if (t.comm === `PID ${t.pid}`) return t.tid !== t.pid ? `PID ${t.pid} (thread ${t.tid})` : t.comm;
  const name = t.kthread && !t.comm.startsWith('[') ? `[${t.comm}]` : t.comm;
  return t.tid !== t.pid ? `${name} (${t.pid}, thread ${t.tid})` : `${name} (${t.pid})`;
}

export function procLabel(p: Process): string {
  const name = procName(p);
  if (name === `PID ${p.pid}`) return name;
  const bracketed = p.kthread === true || (p.kthread === undefined && p.state !== 'Z' && /^\[[^\]]+\]$/.test(p.args?.trim() ?? ''));
  return `${bracketed && !name.startsWith('[') ? `[${name}]` : name} (${p.pid})`;
}

/**
 * A kernel thread. `/proc/PID/status` `Kthread:` decides when present. Otherwise the snapshot's
 * guess (bracketed args, PPID 2, PID 2) is trusted only where PID 2 really is kthreadd: inside a PID
 * namespace PID 2 is an ordinary process (`2 1 S do_wait bash /tmp/s2/case4-cap.sh`) and its
 * children have PPID 2.
 */
export function isKthread(s: Snapshot, p: Process): boolean {
  if (p.kthread !== undefined) return p.kthread;
  if (!p.isKernelThread) return false;
  const a = p.args?.trim();
  if (a && a.startsWith('[') && a.endsWith(']')) return true;
  if (p.pid === 2 || p.ppid === 2) {
    const two = pidLookup(s).get(2);
    if (!two) return true;
    const n = two.comm ?? argv0(two.args);
    return n === 'kthreadd' || two.kthread === true;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Tasks

function ctxtOf(o: { ctxtVoluntary?: number; ctxtNonvoluntary?: number }): number | undefined {
  if (o.ctxtVoluntary === undefined && o.ctxtNonvoluntary === undefined) return undefined;
  return (o.ctxtVoluntary ?? 0) + (o.ctxtNonvoluntary ?? 0);
}

function wchanOf(w: string | null | undefined): string {
  return normSym(w ?? '');
}

function reportsFor(p: Process, tid: number, isMainTask: boolean, threadTids: Set<number>): KernelTask[] {
  if (p.kernelTasks.length === 0) return [];
  const out: KernelTask[] = [];
  for (const kt of p.kernelTasks) {
    if (kt.pid === tid) out.push(kt);
    // A report that names a host PID, or a TID we were not shown, belongs with the main thread.
    else if (isMainTask && !threadTids.has(kt.pid)) out.push(kt);
  }
  return out;
}

function processTasks(s: Snapshot, p: Process, out: Task[]): void {
  const name = procName(p);
  const kthread = isKthread(s, p);
  const threadTids = new Set<number>();
  for (const t of p.threads) threadTids.add(t.tid);
  let mainShown = false;
  for (const t of p.threads) {
    const isMain = t.tid === p.pid;
    if (isMain) mainShown = true;
    const stack = t.stack ?? (isMain ? p.stack : undefined);
    const reports = reportsFor(p, t.tid, isMain, threadTids);
    out.push({
      proc: p, thread: t, pid: p.pid, tid: t.tid,
      state: t.state ?? (isMain ? p.state : null),
      stat: t.stat ?? (isMain ? p.stat : null),
      wchan: wchanOf(t.wchan ?? (isMain ? p.wchan : null)),
      wchanRaw: t.wchan ?? (isMain ? p.wchan : null),
      comm: t.comm ?? name,
      stack: stack ?? reports.find((r) => r.stack.length > 0)?.stack ?? [],
      reports,
      ctxt: ctxtOf(t) ?? (isMain ? ctxtOf(p) : undefined),
      kernelOnly: false, kthread,
    });
  }
  if (!mainShown) {
    // No thread rows, or only the other threads (pstree `{thread}(tid)`): the process row is the main thread.
    const reports = reportsFor(p, p.pid, true, threadTids);
    // ps prints wchan `*` for a multi-threaded process when threads are not shown: unknown.
    out.push({
      proc: p, pid: p.pid, tid: p.pid, state: p.state, stat: p.stat,
      wchan: wchanOf(p.wchan), wchanRaw: p.wchan,
      comm: name,
      stack: p.stack ?? reports.find((r) => r.stack.length > 0)?.stack ?? [],
      reports, ctxt: ctxtOf(p), kernelOnly: false, kthread,
    });
  }
}

/** A process stand-in for a kernel report that matched no process row. */
function kernelOnlyTask(reports: KernelTask[]): Task {
  const kt = reports[0];
  const isK = kt.ppid === 2 || kt.pid === 2 || /^(kworker|jbd2|xfs|kswapd|ksoftirqd|rcu_|migration|khugepaged|kcompactd|writeback|rbd)/.test(kt.comm);
  const proc: Process = {
    pid: kt.pid, ppid: kt.ppid ?? null, state: kt.state, stat: kt.state, wchan: null, comm: kt.comm,
    threads: [], children: [], depth: 0, subtreeSize: 1, subtreeThreads: 1, kernelTasks: reports,
    isKernelThread: isK, src: [],
    ...(kt.tgid !== undefined ? { tgid: kt.tgid } : {}),
  };
  const withStack = reports.find((r) => r.stack.length > 0);
  return {
    proc, pid: kt.tgid ?? kt.pid, tid: kt.pid, state: kt.state, stat: kt.state, wchan: '', wchanRaw: null,
    comm: kt.comm, stack: withStack?.stack ?? [], reports, kernelOnly: true, kthread: isK,
  };
}

/** Kernel reports that matched no process, one task per reported PID. */
function kernelOnlyTasks(s: Snapshot): readonly Task[] {
  return memo(s, 'kernelOnlyTasks', () => {
    const out: Task[] = [];
    if (s.kernelTasks.length === 0) return out;
    const byPid = new Map<number, KernelTask[]>();
    for (const kt of s.kernelTasks) {
      // lock-owner lines name a task that may not be blocked at all; they stay evidence only.
      if (kt.source === 'lock-owner') continue;
      const list = byPid.get(kt.pid);
      if (list) list.push(kt); else byPid.set(kt.pid, [kt]);
    }
    for (const reports of byPid.values()) out.push(kernelOnlyTask(reports));
    return out;
  });
}

/** Every task of the snapshot: thread rows where shown, else process rows; then kernel-only reports. */
export function tasksOf(s: Snapshot): readonly Task[] {
  const f = factsOf(s);
  if (f.tasks) return f.tasks;
  const out: Task[] = [];
  for (const p of s.processes) processTasks(s, p, out);
  f.procTasks = out.length;
  let sorted = true;
  for (let i = 1; i < out.length && sorted; i++) if (out[i].pid < out[i - 1].pid) sorted = false;
  f.tasksSorted = sorted;
  for (const t of kernelOnlyTasks(s)) out.push(t);
  f.tasks = out;
  return out;
}

/**
 * The tasks in some states only (`'D'`, `'DR'`), without building a task for every process: a
 * 1M-process snapshot has a handful of D tasks. A process is looked at when its row or one of its
 * threads is in one of the states. 'D', 'R' and 'DR' (what the rules ask) come from one list of the
 * D and R tasks: one pass over the processes for all three, and the same Task objects in each, so
 * the per-task caches (devices, families, persistence) hold across rules.
 */
export function tasksInStates(s: Snapshot, states: string): readonly Task[] {
  const key = states.length > 1 ? [...states].sort().join('') : states;
  return memo(s, `tasksIn:${key}`, () => {
    const f = factsOf(s);
    if (f.tasks) return f.tasks.filter((t) => t.state !== null && states.includes(t.state));
    if (key !== 'DR' && /^[DR]+$/.test(key)) return tasksInStates(s, 'DR').filter((t) => t.state !== null && states.includes(t.state));
    const out: Task[] = [];
    const tmp: Task[] = [];
    for (const p of s.processes) {
      let hit = p.state !== null && states.includes(p.state);
      if (!hit) for (const t of p.threads) if (t.state !== null && states.includes(t.state)) { hit = true; break; }
      if (!hit) continue;
      tmp.length = 0;
      processTasks(s, p, tmp);
      for (const t of tmp) if (t.state !== null && states.includes(t.state)) out.push(t);
    }
    for (const t of kernelOnlyTasks(s)) if (t.state !== null && states.includes(t.state)) out.push(t);
    return out;
  });
}

/** Tasks of one process (threads where shown). */
export function tasksOfProcess(s: Snapshot, pid: number): Task[] {
  const p = pidLookup(s).get(pid);
  if (!p) return [];
  const f = factsOf(s);
  if (f.tasks) {
    // The same Task objects tasksOf gave, found without a pass over every task: rules ask per
    // parent or per shim, and a filter here made them O(tasks × asked).
    const n = f.procTasks!;
    if (f.tasksSorted) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (f.tasks[mid].pid < pid) lo = mid + 1; else hi = mid;
      }
      const out: Task[] = [];
      for (let i = lo; i < n && f.tasks[i].pid === pid; i++) out.push(f.tasks[i]);
      return out;
    }
    if (!f.tasksByPid) {
      f.tasksByPid = new Map();
      for (let i = 0; i < n; i++) {
        const t = f.tasks[i];
        const l = f.tasksByPid.get(t.pid);
        if (l) l.push(t); else f.tasksByPid.set(t.pid, [t]);
      }
    }
    return [...(f.tasksByPid.get(pid) ?? [])];
  }
  const out: Task[] = [];
  processTasks(s, p, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// What a task waits on

/** Normalised symbols of a task: the wait (wchan, else the top stack frame) first, then every meaningful frame. */
export function symbolsOf(t: Task): string[] {
  const frames = meaningfulFrames(t.stack);
  const primary = t.wchan || frames[0] || '';
  const out = primary ? [primary] : [];
  for (const f of frames) if (f !== primary) out.push(f);
  return out;
}

/** The one symbol a task waits in: wchan, else the top stack frame; '' when unknown. */
export function waitSymbol(t: Task): string {
  return t.wchan || topFrame(t.stack);
}

/** Families of the wait itself (wchan or top frame; a 6-wide cut wchan is matched by prefix when unambiguous). */
export function primaryFamilies(t: Task): readonly SymbolFamily[] {
  const w = waitSymbol(t);
  if (!w) return [];
  const f = familiesOf(w);
  if (f.length > 0) return f;
  // `ps -o wchan` cuts at 6 characters by default (`folio_`, `do_wai`).
  return w.length <= 8 ? familiesOfTruncated(w) : f;
}

// Per-task facts the D rules all ask for, computed once per Task object (tasksInStates and tasksOf
// hand every rule the same objects): five rules ask for a 31k-task D cluster's families and devices.
const FAMILIES = new WeakMap<Task, ReadonlySet<SymbolFamily>>();
const DEVICES = new WeakMap<Task, readonly Device[]>();
const ARG_DEVICES = new WeakMap<Process, readonly Device[]>();

/** Families anywhere in the wait: the primary symbol and every frame of the stack. Shared: do not modify. */
export function allFamilies(t: Task): ReadonlySet<SymbolFamily> {
  let out = FAMILIES.get(t);
  if (out) return out;
  const set = new Set<SymbolFamily>(primaryFamilies(t));
  for (const f of meaningfulFrames(t.stack)) for (const fam of familiesOf(f)) set.add(fam);
  FAMILIES.set(t, set);
  out = set;
  return out;
}

/** Devices a task's command line, kernel-thread name or report workqueue names. Shared: do not modify. */
export function devicesOfTask(t: Task): readonly Device[] {
  let out = DEVICES.get(t);
  if (out) return out;
  // The command line's devices once per process (its threads share them); copied, since this adds to it.
  let fromArgs = ARG_DEVICES.get(t.proc);
  if (!fromArgs) { fromArgs = devicesInArgs(t.proc.args); ARG_DEVICES.set(t.proc, fromArgs); }
  const list = [...fromArgs];
  const k = t.kthread ? deviceOfKernelThread(t.comm) ?? deviceOfKernelThread(t.proc.comm) : null;
  if (k && !list.some((d) => d.name === k.name)) list.push(k);
  for (const r of t.reports) {
    const w = deviceOfWorkqueue(r.workqueue);
    if (w && !list.some((d) => d.name === w.name)) list.push(w);
    if (t.kernelOnly) {
      const kk = deviceOfKernelThread(r.comm);
      if (kk && !list.some((d) => d.name === kk.name)) list.push(kk);
    }
  }
  DEVICES.set(t, list);
  out = list;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Predicates every D rule shares (heuristics.md §4 pitfalls)

/**
 * An idle kernel thread: I state, or D in a worker/idle wait (TASK_IDLE showed as D on 4.2–4.13
 * and adds nothing to load), e.g. `[kworker/0:1]` D `worker_thread`, `[rcu_sched]` D `rcu_gp_kthread`.
 */
export function isIdleKernelWait(t: Task): boolean {
  if (!t.kthread) return false;
  if (t.state === 'I') return true;
  if (t.state !== 'D') return false;
  const w = waitSymbol(t);
  if (w) return primaryFamilies(t).includes('idle');
  // No wchan and no stack: RCU grace-period threads are the classic TASK_IDLE sleepers.
  return /^rcu_(sched|bh|preempt|gp|tasks)/.test(t.comm.replace(/^\[/, ''));
}

export type KillableKind = 'vfork' | 'nfs' | 'other';
/**
 * A TASK_KILLABLE wait: shows as D and raises load, but SIGKILL wakes it and khungtaskd skips it
 * ("use "==" to skip the TASK_KILLABLE tasks waiting on NFS"): the vfork parent
 * (`kernel_clone`/`do_fork`/`wait_for_vfork_done`), NFS `rpc_wait_bit_killable`/`nfs_wait_bit_killable`,
 * and any `*_killable` wait. null when the wait is not known to be killable.
 */
export function killableKind(t: Task): KillableKind | null {
  const fams = new Set<SymbolFamily>(primaryFamilies(t));
  const top = meaningfulFrames(t.stack);
  // Only the innermost frames decide: a killable function far down the stack is not where it sleeps.
  for (const f of top.slice(0, 3)) for (const fam of familiesOf(f)) fams.add(fam);
  if (!fams.has('killable')) return null;
  if (fams.has('vfork')) return 'vfork';
  if (fams.has('nfs')) return 'nfs';
  return 'other';
}

export function isKillableWait(t: Task): boolean {
  return killableKind(t) !== null;
}

/**
 * A task in the cgroup freezer: `__refrigerator`/`refrigerator` (wchan or top frames), or D in a wait
 * that only ever sleeps interruptibly — the cgroup-v1 freezer leaves a task frozen inside its
 * nanosleep showing `7 5 D hrtimer_nanosleep nginx: worker process`. Frozen on purpose: P08's business.
 */
export function isFrozen(t: Task): boolean {
  const prim = primaryFamilies(t);
  if (prim.includes('refrigerator') || meaningfulFrames(t.stack).slice(0, 2).some((f) => familiesOf(f).includes('refrigerator'))) return true;
  return t.state === 'D' && prim.includes('interruptible');
}

// ---------------------------------------------------------------------------------------------
// The capture's own processes (heuristics.md §4: "Ignore ps, grep, awk, sort, timeout and the
// capture shell, plus runc exec/containerd-shim exec helpers spawned by the capture").

const LISTERS = new Set(['ps', 'top', 'pstree', 'htop', 'atop', 'collect.sh', 'timeout']);
const TEXT_TOOLS = new Set(['grep', 'egrep', 'fgrep', 'zgrep', 'awk', 'gawk', 'mawk', 'nawk', 'sort', 'uniq', 'head', 'tail',
  'wc', 'cut', 'sed', 'tr', 'xargs', 'tee', 'less', 'more', 'column', 'cat']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'ksh', 'busybox']);
const EXEC_HELPERS = new Set(['runc', 'crun', 'docker', 'kubectl', 'crictl', 'nsenter', 'ctr', 'podman', 'oc']);

function isCollector(p: Process): boolean {
  const a = p.args ?? '';
  return p.comm === 'collect.sh' || /(?:^|[\s/])collect\.sh\b/.test(a) || /\bprocscope\b/.test(a);
}

const CAPTURE_CMD = /^(?:exec\s+)?(?:timeout\s+\S+\s+)?(?:\S*\/)?(?:ps|top|pstree|cat\s+\/proc|grep\b.*\/proc\/|head\b.*\/proc\/|tail\b.*\/proc\/)(?:\s|$)/;

/** Whether a shell or exec helper is only there to run a capture command (`sh -c ps aux | grep D`, `runc exec abc ps aux`). */
function runsCapture(p: Process, name: string): boolean {
  const a = p.args ?? '';
  if (SHELLS.has(name)) {
    const m = /\s-c\s+['"]?(.*)$/.exec(a);
    return m !== null && CAPTURE_CMD.test(m[1]);
  }
  if (EXEC_HELPERS.has(name) || name.startsWith('containerd-shim')) {
    const i = a.indexOf(' exec ');
    if (i < 0) return false;
    // the command is the first token after the options that does not start with '-' and is not a container id… keep it simple:
    return /\s(?:ps|top|pstree)(?:\s|$)|\scat\s+\/proc\//.test(a.slice(i));
  }
  return false;
}

/**
 * PIDs of the capture's own processes: ps/top/pstree/timeout and the collector with everything
 * under it; text tools (grep, awk, sort, …) piped with a lister or reading /proc; shells and exec
 * helpers that only run a capture command.
 */
export function captureSet(s: Snapshot): Set<number> {
  const f = factsOf(s);
  if (f.capture) return f.capture;
  const byPid = pidLookup(s);
  const out = new Set<number>();
  const listerParents = new Set<number>();
  const listerGroups = new Set<number>();
  const collectors: Process[] = [];
  const textTools: Process[] = [];
  // One pass: the name test is cheap and rejects almost every process before any regex runs.
  for (const p of s.processes) {
    const name = argv0(p.args) || procName(p);
    const comm = p.comm ?? name;
    const args = p.args ?? '';
    const collector = (args.includes('collect.sh') || args.includes('procscope') || comm === 'collect.sh') && isCollector(p);
    const lister = LISTERS.has(name) || LISTERS.has(comm);
    const helper = !lister && !collector && (SHELLS.has(name) || EXEC_HELPERS.has(name) || name.startsWith('containerd-shim'));
    const text = !lister && !collector && !helper && (TEXT_TOOLS.has(name) || TEXT_TOOLS.has(comm));
    if (!lister && !collector && !helper && !text) continue;
    if (isKthread(s, p)) continue;
    if (text) { textTools.push(p); continue; }
    if (lister || collector || runsCapture(p, name)) {
      out.add(p.pid);
      if (collector) collectors.push(p);
      if (p.ppid !== null) listerParents.add(p.ppid);
      if (p.pgid !== undefined && p.pgid > 1) listerGroups.add(p.pgid);
    }
  }
  for (const p of textTools) {
    const a = p.args ?? '';
    if (a.includes('/proc/')) { out.add(p.pid); continue; }
    // A text tool in D, or one naming a file, is the workload's (`cat /mnt/nfs/share/report.csv`
    // in D beside the capture's `ps` under the same PID 1), never the capture's pipe reader.
    if (p.state === 'D' || / \/(?!proc\/)/.test(a)) continue;
    // Pipeline members of a lister (`ps aux | grep D`): same process group, else same parent
    // (not PID 0/1: inside a namespace everything hangs off PID 1), or a child of the capture.
    if ((p.ppid !== null && (out.has(p.ppid) || (p.ppid > 1 && listerParents.has(p.ppid)))) ||
        (p.pgid !== undefined && listerGroups.has(p.pgid))) {
      out.add(p.pid);
    }
  }
  // Everything under the collector is the capture.
  for (const p of collectors) {
    const stack = [...p.children];
    while (stack.length) {
      const c = stack.pop()!;
      out.add(c);
      const cp = byPid.get(c);
      if (cp) for (const g of cp.children) if (!out.has(g)) stack.push(g);
    }
  }
  f.capture = out;
  return out;
}

export function isCaptureProcess(s: Snapshot, p: Process): boolean {
  return captureSet(s).has(p.pid);
}

/**
 * D tasks that mean something: threads where shown, idle kernel-thread waits and the capture's own
 * processes left out. Frozen tasks stay in (P08 wants them); rules that must not count them use isFrozen.
 */
export function dTasks(s: Snapshot): Task[] {
  const cap = captureSet(s);
  const out: Task[] = [];
  for (const t of tasksInStates(s, 'D')) {
    if (!t.kernelOnly && cap.has(t.pid)) continue;
    if (isIdleKernelWait(t)) continue;
    out.push(t);
  }
  return out;
}

/** Group tasks by process, keeping first-seen order: for findings whose `pids` are processes. */
export function uniquePids(tasks: readonly Task[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const t of tasks) if (!seen.has(t.pid)) { seen.add(t.pid); out.push(t.pid); }
  return out;
}
