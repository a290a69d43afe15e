// Grouping D tasks by what they wait on (heuristics.md P04: "≥3 threads in D sharing the same
// wchan, top stack frame, device (rbdN, sdX, nvmeX, dm-N) or mount"), and the cause-first order
// of a group ("The oldest task, or a kernel thread in the group (jbd2/*, kworker/*flush*), points
// at the root"). The group key is also the rootCause every finding about the group shares.
import type { Process, Snapshot } from '../model/index.ts';
import { deviceKey } from './facts-devices.ts';
import { allFamilies, argv0, devicesOfTask, waitSymbol, type Task } from './facts-tasks.ts';
import { normSym, topFrame } from './facts-symbols.ts';
import { ageSec } from './facts-time.ts';

// Directories too broad to say "one mount" (a file under /tmp and one under /tmp/x share nothing).
const GENERIC_DIRS = new Set(['/', '/tmp', '/var', '/var/lib', '/var/log', '/var/tmp', '/usr', '/usr/lib', '/usr/bin',
  '/usr/local', '/usr/share', '/home', '/opt', '/run', '/etc', '/srv', '/mnt', '/media', '/data', '/root', '/bin', '/sbin', '/lib']);

/**
 * The paths an argument list names and their directories, depth ≥ 2:
 * `dd if=/mnt/hung/disk.img of=/dev/null` → `/mnt/hung`, `/mnt/hung/disk.img`; `ls -l /srv/shared`
 * → `/srv/shared` (a path may be a directory). /dev, /proc and /sys paths are left out (devices have
 * their own key), and so is argv0.
 */
export function pathDirs(args: string | null | undefined): string[] {
  if (!args || args.indexOf('/') < 0) return [];
  const out: string[] = [];
  const toks = args.split(/\s+/);
  for (let i = 1; i < toks.length; i++) {
    let tok = toks[i];
    const eq = tok.indexOf('=');
    if (eq >= 0) tok = tok.slice(eq + 1);
    tok = tok.replace(/^['"]+|['",;)]+$/g, '');
    if (!tok.startsWith('/') || /^\/(?:dev|proc|sys)(?:\/|$)/.test(tok)) continue;
    const parts = tok.split('/').filter(Boolean);
    // Every ancestor directory at depth ≥ 2 that is not generic: `/mnt/hung`, `/var/lib/postgresql`…
    let dir = '';
    for (let d = 0; d < parts.length; d++) {
      dir += `/${parts[d]}`;
      if (d >= 1 && !GENERIC_DIRS.has(dir) && !out.includes(dir)) out.push(dir);
    }
  }
  return out;
}

const STORAGE_FAMILIES: Array<[string, string]> = [['rbd', 'ceph'], ['libceph', 'ceph'], ['cephfs', 'cephfs'], ['nfs', 'nfs'], ['fuse', 'fuse']];

export type DKeyKind = 'device' | 'fs' | 'path' | 'wchan' | 'stack';
export interface DKey { key: string; kind: DKeyKind; label: string }

const KIND_RANK: Record<DKeyKind, number> = { device: 0, fs: 1, path: 2, wchan: 3, stack: 4 };

const DKEYS = new WeakMap<Task, readonly DKey[]>();
const DIRS = new WeakMap<Process, readonly string[]>();

/** pathDirs of a process's command line, once per process: its threads (a thousand D threads of one process) share it. */
function dirsOf(p: Process): readonly string[] {
  let d = DIRS.get(p);
  if (!d) { d = pathDirs(p.args); DIRS.set(p, d); }
  return d;
}

/** Every key a D task can be grouped by, most specific kind first. Once per Task; shared: do not modify. */
export function dKeys(t: Task): readonly DKey[] {
  const cached = DKEYS.get(t);
  if (cached) return cached;
  const out: DKey[] = [];
  for (const d of devicesOfTask(t)) {
    out.push({ key: deviceKey(d), kind: 'device', label: d.kind === 'csi' ? `volume ${d.name}` : d.kind === 'bdi' ? `device ${d.name}` : `/dev/${d.name}` });
  }
  const fams = allFamilies(t);
  for (const [fam, fs] of STORAGE_FAMILIES) {
    if (fams.has(fam as never) && !out.some((k) => k.key === `fs:${fs}`)) out.push({ key: `fs:${fs}`, kind: 'fs', label: fs === 'fuse' ? 'a FUSE mount' : fs === 'nfs' ? 'NFS' : fs === 'ceph' ? 'Ceph' : 'CephFS' });
  }
  for (const dir of dirsOf(t.proc)) out.push({ key: `path:${dir}`, kind: 'path', label: `files under ${dir}` });
  const w = waitSymbol(t);
  if (w) out.push({ key: `wchan:${w}`, kind: 'wchan', label: w });
  const top = topFrame(t.stack);
  if (top && top !== w) out.push({ key: `stack:${top}`, kind: 'stack', label: `${top} (stack)` });
  DKEYS.set(t, out);
  return out;
}

export interface DGroup extends DKey { tasks: Task[] }

/**
 * Greedy grouping: the biggest group first (ties: device, fs, path, wchan, stack; deeper paths
 * first), each task in one group only; groups smaller than `min` after that are dropped.
 */
export function clusterD(tasks: readonly Task[], min = 3): DGroup[] {
  const byKey = new Map<string, DGroup>();
  for (const t of tasks) {
    for (const k of dKeys(t)) {
      let g = byKey.get(k.key);
      if (!g) { g = { ...k, tasks: [] }; byKey.set(k.key, g); }
      g.tasks.push(t);
    }
  }
  const groups = [...byKey.values()].sort((a, b) => b.tasks.length - a.tasks.length || KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.key.length - a.key.length || a.key.localeCompare(b.key));
  const taken = new Set<Task>();
  const out: DGroup[] = [];
  for (const g of groups) {
    const free = g.tasks.filter((t) => !taken.has(t));
    if (free.length < min) continue;
    // A group re-sorted after others took members could now be smaller than one we skipped;
    // good enough: the first pick is always the biggest.
    for (const t of free) taken.add(t);
    out.push({ ...g, tasks: free });
  }
  return out;
}

/** The most specific key every task shares (device, fs, path, wchan), or undefined. */
export function commonKey(tasks: readonly Task[]): DKey | undefined {
  if (tasks.length === 0) return undefined;
  let common: DKey[] = [...dKeys(tasks[0])];
  // A task has a handful of keys: look them up in place instead of a Set per task (100k-task groups).
  for (let i = 1; i < tasks.length && common.length; i++) {
    const keys = dKeys(tasks[i]);
    common = common.filter((k) => keys.some((x) => x.key === k.key));
  }
  common.sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.key.length - a.key.length);
  return common[0];
}

/**
 * The key findings about these tasks share: the device when every task naming a device names the
 * same one, else the common key. So the D cluster and the rbd hang point at `device:rbd3`.
 */
export function rootCauseOf(tasks: readonly Task[]): string | undefined {
  const devs = new Set<string>();
  for (const t of tasks) for (const d of devicesOfTask(t)) devs.add(deviceKey(d));
  if (devs.size === 1) return [...devs][0];
  if (tasks.length === 1) {
    // One task: a directory in its arguments says nothing shared; its wait does.
    const k = dKeys(tasks[0]).filter((x) => x.kind !== 'path').sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind])[0];
    return k?.key;
  }
  return commonKey(tasks)?.key;
}

function isRootKernelThread(t: Task): boolean {
  return t.kthread && /^\[?(?:jbd2\/|xfsaild|xfs-|kworker\/.*flush|rbd\d+-tasks|btrfs-transaction|ext4-)/.test(t.comm);
}

/** Cause first: a journal/flush kernel thread of the group, then the oldest task, then by PID. */
export function causeOrder(s: Snapshot, tasks: readonly Task[]): Task[] {
  // Sort keys computed once per task (not a regex and two Map lookups per comparison: 117k tasks
  // make 2M comparisons); the sort is stable, so the order is the one the comparator defines.
  const keyed = tasks.map((t) => ({ t, root: Number(isRootKernelThread(t)), age: ageSec(t.proc, s) ?? -1 }));
  keyed.sort((a, b) => b.root - a.root || (b.age - a.age) || a.t.pid - b.t.pid || a.t.tid - b.t.tid);
  return keyed.map((k) => k.t);
}

// Tools that stat mounts: on a dead network filesystem they hang first (`df` stats every mount).
const STATTERS = new Set(['df', 'ls', 'du', 'stat', 'find', 'mount', 'umount', 'findmnt']);
// Waits of a filesystem's server side, not of its clients (the FUSE daemon waiting for requests).
const SERVER_WAITS = /^(?:fuse_dev_do_read|fuse_dev_read|ep_poll|do_epoll_wait|do_wait|do_sys_poll|poll_schedule_timeout|inet_csk_accept)$/;
const STUCK_AGE = 5;

/**
 * Processes not in D that are stuck on a mount too: `df` without arguments, statters (`du`, `ls`,
 * `find`) on the path or above it, and any process naming the path that waits on the filesystem
 * (`mkdir …/2026-11-26` S in request_wait_answer holding the directory lock). The server side
 * (a FUSE daemon in fuse_dev_do_read), the capture and processes younger than 5 s are left out.
 * PID order.
 */
export function waitersOnPath(s: Snapshot, path: string | undefined, exclude: ReadonlySet<number>, capture: ReadonlySet<number>): Process[] {
  const out: Process[] = [];
  for (const p of s.processes) {
    if (exclude.has(p.pid) || capture.has(p.pid) || (p.state !== 'S' && p.state !== 'D')) continue;
    const age = ageSec(p, s);
    if (age !== undefined && age < STUCK_AGE) continue;
    const w = normSym(p.wchan);
    if (w && SERVER_WAITS.test(w)) continue;
    const a0 = argv0(p.args) || (p.comm ?? '');
    const dirs = pathDirs(p.args);
    if (a0 === 'df' && dirs.length === 0) { out.push(p); continue; }
    if (!path) continue;
    if (dirs.includes(path)) { out.push(p); continue; }
    if (STATTERS.has(a0) && (p.args ?? '').split(/\s+/).some((tok) => tok.startsWith('/') && path.startsWith(`${tok.replace(/\/+$/, '')}/`))) out.push(p);
  }
  return out;
}
