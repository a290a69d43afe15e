// Containers: which process is a container's PID 1 (the namespace init in a namespace snapshot, or a
// process started by a containerd-shim/conmon on a host), whether that init reaps (tini, dumb-init,
// docker-init, /pause, s6, supervisord, systemd…), and who adopts orphans (subreapers).
// heuristics.md P09/P13/P17; process-notes: "不用dumb-init, 容器业务进程就是PID 1 …
// responsible for wait()-ing on orphaned zombie processes".
import type { Process, Snapshot } from '../model/index.ts';
import { argv0, isKthread, memo, mentions, pidLookup, procName, type PidLookup } from './facts-tasks.ts';

const GOOD_INITS = new Set([
  'tini', 'tini-static', 'dumb-init', 'docker-init', 'pause', 's6-svscan', 's6-linux-init', 's6-supervise',
  'supervisord', 'systemd', 'init', 'runit', 'runit-init', 'runsvdir', 'catatonit', 'my_init', 'openrc-init',
]);
const INTERPRETERS = /^(?:python[\d.]*|perl|ruby|node|sh|bash)$/;

/**
 * The name of a reaping init this process is (`tini`, `dumb-init`, `/pause`, `supervisord`…), or null.
 * `/usr/bin/python3 /usr/bin/supervisord -n` counts as supervisord.
 */
export function goodInitName(p: Process): string | null {
  const a0 = argv0(p.args);
  const comm = procName(p);
  for (const n of [a0, comm]) if (n && GOOD_INITS.has(n)) return n;
  if (INTERPRETERS.test(a0) && p.args) {
    const second = p.args.trim().split(/\s+/).slice(1).find((x) => !x.startsWith('-'));
    const b = second ? argv0(second) : '';
    if (GOOD_INITS.has(b)) return b;
  }
  return null;
}

/** containerd-shim (comm is cut to 15: `containerd-shim` for containerd-shim-runc-v2), docker-containerd-shim, conmon. */
export function isShim(p: Process): boolean {
  // Asked about every process by several rules: most rows are rejected before any name is copied.
  if (!mentions(p, 'containerd') && !mentions(p, 'conmon')) return false;
  const n = argv0(p.args) || procName(p);
  const c = procName(p);
  return n.startsWith('containerd-shim') || c.startsWith('containerd-shim') || n === 'docker-containerd-shim' ||
    c === 'docker-containerd' || n === 'conmon' || c === 'conmon';
}

/** A runtime helper that is not a container's process (runc, runc init, crun). */
function isRuntimeHelper(p: Process): boolean {
  const n = argv0(p.args) || procName(p);
  return n === 'runc' || n === 'crun' || procName(p).startsWith('runc:[');
}

/** Whether a process is a kthreadd-rooted host view: PID 2 kthreadd or kernel threads present. */
function looksLikeHost(s: Snapshot, byPid: PidLookup): boolean {
  const k = byPid.get(2);
  if (k && (procName(k) === 'kthreadd' || k.kthread === true)) return true;
  const one = byPid.get(1);
  if (one && (procName(one) === 'systemd' || argv0(one.args) === 'systemd')) {
    // systemd as PID 1 with kernel threads around is a host; alone it may be a systemd container.
    return s.processes.some((p) => p.pid !== 1 && isKthread(s, p));
  }
  return false;
}

/**
 * A snapshot taken inside a PID namespace: NSpid shows nesting, or PID 1 has PPID 0 without a
 * kthreadd beside it (a container's `ps` never shows kernel threads).
 */
export function isNamespaceSnapshot(s: Snapshot): boolean {
  return memo(s, 'namespace', () => {
    const byPid = pidLookup(s);
    const one = byPid.get(1);
    if (s.processes.some((p) => p.hostPid !== undefined && p.hostPid !== p.pid)) return true;
    return one !== undefined && (one.ppid === 0 || one.ppid === null) && !looksLikeHost(s, byPid);
  });
}

export interface ContainerInit {
  pid: number;
  proc: Process;
  /** `namespace`: PID 1 of a namespace snapshot; `shim`: a host process started by a containerd-shim/conmon. */
  via: 'namespace' | 'shim';
  shimPid?: number;
  /** The reaping init it is, or null for an application running as PID 1. */
  goodInit: string | null;
}

/** Every container init the snapshot shows. */
export function containerInits(s: Snapshot): ContainerInit[] {
  return memo(s, 'containerInits', () => findContainerInits(s));
}

function findContainerInits(s: Snapshot): ContainerInit[] {
  const byPid = pidLookup(s);
  const out: ContainerInit[] = [];
  if (isNamespaceSnapshot(s)) {
    const one = byPid.get(1);
    if (one) out.push({ pid: 1, proc: one, via: 'namespace', goodInit: goodInitName(one) });
  }
  for (const shim of s.processes) {
    if (!isShim(shim)) continue;
    for (const c of shim.children) {
      const p = byPid.get(c);
      if (!p || isShim(p) || isRuntimeHelper(p)) continue;
      // The first (oldest, lowest-PID) child of a shim is the container's init; later children are
      // `runc exec`/`docker exec` processes (P17/P14), not inits.
      out.push({ pid: p.pid, proc: p, via: 'shim', shimPid: shim.pid, goodInit: goodInitName(p) });
      break;
    }
  }
  return out;
}

/** The container init of PID `pid` if `pid` is one. */
export function containerInitOf(s: Snapshot, pid: number): ContainerInit | undefined {
  // Asked for every process (subreaperKind) and every child of a subreaper: a Map, not a scan of the inits.
  const byPid = memo(s, 'containerInitByPid', () => {
    const m = new Map<number, ContainerInit>();
    for (const c of containerInits(s)) if (!m.has(c.pid)) m.set(c.pid, c);
    return m;
  });
  return byPid.get(pid);
}

/**
 * Who adopts orphans here: a container init (namespace PID 1 or a shim's child is PID 1 inside),
 * a containerd-shim (PR_SET_CHILD_SUBREAPER for exec orphans), `tini -s`, `systemd --user`.
 * Host PID 1 is left out on purpose: PPID 1 is normal on hosts (every systemd service).
 */
export function subreaperKind(s: Snapshot, p: Process): 'container-init' | 'shim' | 'subreaper' | null {
  if (containerInitOf(s, p.pid)) return 'container-init';
  if (isShim(p)) return 'shim';
  const a = p.args ?? '';
  // Asked for every process: only a command line naming tini or systemd can be one (no name copied otherwise).
  if (!a.includes('tini') && !a.includes('systemd')) return null;
  const a0 = argv0(a);
  if ((a0 === 'tini' || a0 === 'tini-static') && /\s-s(?:\s|$)/.test(a)) return 'subreaper';
  if (a0 === 'systemd' && /\s--user(?:\s|$)/.test(a)) return 'subreaper';
  return null;
}
