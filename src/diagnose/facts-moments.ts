// Moments, CPU and memory: what P15–P28 read beyond one process row. Readings are taken from the
// captures themselves (ctx.ingest), not from the joined snapshots, because an input with one moment
// belongs to every snapshot, and two `/proc/loadavg` readings in one file
// (`$ cat /proc/loadavg` / `7.54 7.22 4.22 3/549 495` / `$ cat /proc/loadavg` / `7.34 7.18 4.23 3/547 1085`)
// are two sections of one input even when the ingest gives both moment 0.
//   loadReadings(ingest)     every loadavg-style reading (load, runnable/total threads, last PID), in input order
//   pidCounterSteps(ingest)  last-PID deltas between consecutive readings of one input (and rates when timed)
//   topRefreshes(ingest)     top -b iterations per input, oldest first, thread view or not
//   cpuCount(s)              nCpu from the capture, else max(PSR)+1 (a lower bound)
//   memTotalKiB(s)           MemTotal from top/bundle, else derived from RSS and %MEM
//   hasTty, isJobControl, isServiceName   for stopped/traced processes
//   fmtKiB                   `13.1 GB`
import type { Capture, IngestResult, Meta, Process, Row, Snapshot } from '../model/index.ts';
import { argv0, memo, procName } from './facts-tasks.ts';

// ---------------------------------------------------------------------------------------------
// Clock of a capture

function captureAt(c: Capture): number | undefined {
  const m = c.meta;
  if (m.takenAt) {
    const t = Date.parse(m.takenAt);
    if (!Number.isNaN(t)) return t / 1000;
  }
  if (m.clock) {
    const k = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(m.clock.trim());
    if (k) return Number(k[1]) * 3600 + Number(k[2]) * 60 + Number(k[3]);
  }
  // ps -o lstart,etimes: start + age = when ps ran (`16 1 R - Thu Nov 26 19:00:04 2026 0 ps -eo …`).
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

// ---------------------------------------------------------------------------------------------
// loadavg readings

export interface LoadReading {
  input: string;
  /** 1-based line of the reading. */
  line: number;
  /** Position among the readings of its input (0-based). */
  section: number;
  load?: [number, number, number];
  runnable?: number;
  totalTasks?: number;
  lastPid?: number;
  /** Seconds on some clock, when the capture says when it was taken. */
  at?: number;
}

const LOAD_CACHE = new WeakMap<IngestResult, LoadReading[]>();

/** Every reading of `/proc/loadavg` (or busybox top's `Load average:` line), in input order. */
export function loadReadings(ingest: IngestResult): LoadReading[] {
  const hit = LOAD_CACHE.get(ingest);
  if (hit) return hit;
  const out: LoadReading[] = [];
  const perInput = new Map<string, number>();
  for (const c of ingest.captures) {
    const m = c.meta;
    if (m.lastPid === undefined && m.totalTasks === undefined) continue;
    const section = perInput.get(c.input) ?? 0;
    perInput.set(c.input, section + 1);
    const at = captureAt(c);
    out.push({
      input: c.input, line: c.firstLine, section,
      ...(m.load ? { load: m.load } : {}),
      ...(m.runnable !== undefined ? { runnable: m.runnable } : {}),
      ...(m.totalTasks !== undefined ? { totalTasks: m.totalTasks } : {}),
      ...(m.lastPid !== undefined ? { lastPid: m.lastPid } : {}),
      ...(at !== undefined ? { at } : {}),
    });
  }
  LOAD_CACHE.set(ingest, out);
  return out;
}

export interface PidStep {
  from: LoadReading;
  to: LoadReading;
  /** PIDs handed out between the two readings (last-PID delta). */
  delta: number;
  /** Seconds between them, when both readings have times. */
  sec?: number;
  /** PIDs per second, when timed. */
  rate?: number;
}

/**
 * Last-PID steps between consecutive readings of one input (the order the user captured them),
 * and between timed readings of different inputs. A step that goes down is a wrap at pid_max (or a
 * reading of another PID namespace) and is left out: its size is unknown.
 */
export function pidCounterSteps(ingest: IngestResult): PidStep[] {
  const rs = loadReadings(ingest).filter((r) => r.lastPid !== undefined);
  const out: PidStep[] = [];
  const byInput = new Map<string, LoadReading[]>();
  for (const r of rs) {
    const l = byInput.get(r.input);
    if (l) l.push(r); else byInput.set(r.input, [r]);
  }
  const step = (a: LoadReading, b: LoadReading): void => {
    const delta = b.lastPid! - a.lastPid!;
    if (delta <= 0) return;
    const sec = a.at !== undefined && b.at !== undefined ? b.at - a.at : undefined;
    out.push({ from: a, to: b, delta, ...(sec !== undefined && sec > 0 ? { sec, rate: delta / sec } : {}) });
  };
  for (const list of byInput.values()) for (let i = 1; i < list.length; i++) step(list[i - 1], list[i]);
  const timed = rs.filter((r) => r.at !== undefined).sort((a, b) => a.at! - b.at!);
  for (let i = 1; i < timed.length; i++) if (timed[i].input !== timed[i - 1].input) step(timed[i - 1], timed[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// top iterations

export interface Refresh {
  input: string;
  /** The iteration (top -b -n3 gives 0, 1, 2). */
  moment: number;
  /** Thread view (`top -H`: `Threads:` line, per-TID rows). */
  threads: boolean;
  clock?: string;
  /** Seconds on top's clock, when printed. */
  at?: number;
  meta: Meta;
  rows: readonly Row[];
}

const TOP_CACHE = new WeakMap<IngestResult, Refresh[][]>();

/** top -b iterations grouped per input, oldest first (procps top and busybox top). */
export function topRefreshes(ingest: IngestResult): Refresh[][] {
  const hit = TOP_CACHE.get(ingest);
  if (hit) return hit;
  const byInput = new Map<string, Refresh[]>();
  for (const c of ingest.captures) {
    if (c.format !== 'top' && c.format !== 'busybox-top') continue;
    const threads = c.variant === 'threads' || c.meta.topTasks?.unit === 'threads' || c.rows.some((r) => r.kind === 'thread');
    const at = captureAt(c);
    const r: Refresh = {
      input: c.input, moment: c.moment, threads, meta: c.meta, rows: c.rows,
      ...(c.meta.clock ? { clock: c.meta.clock } : {}),
      ...(at !== undefined ? { at } : {}),
    };
    const l = byInput.get(c.input);
    if (l) l.push(r); else byInput.set(c.input, [r]);
  }
  const out = [...byInput.values()].map((l) => l.sort((a, b) => a.moment - b.moment));
  TOP_CACHE.set(ingest, out);
  return out;
}

/** The task id a top/ps row stands for: TID for thread rows, else PID. */
export function rowTid(r: Row): number {
  return r.kind === 'thread' ? (r.tid ?? r.pid) : (r.tid ?? r.pid);
}

/** CPU idle % of a top iteration (`%Cpu(s): … 0.0 id`), when printed. */
export function idlePct(m: Meta): number | undefined {
  return m.cpu?.id ?? m.cpu?.idle;
}

// ---------------------------------------------------------------------------------------------
// CPU count and memory

export interface CpuCount { n: number; exact: boolean; how: string }

/** CPUs: `nproc`/top's per-CPU lines/`/proc/stat` when the capture has them, else max(PSR)+1 (a lower bound). */
export function cpuCount(s: Snapshot): CpuCount | undefined {
  return memo(s, 'cpuCount', () => {
    if (s.meta.nCpu !== undefined && s.meta.nCpu > 0) return { n: s.meta.nCpu, exact: true, how: 'from the capture' };
    let max = -1;
    for (const p of s.processes) {
      if (p.psr !== undefined && p.psr > max) max = p.psr;
      for (const t of p.threads) if (t.psr !== undefined && t.psr > max) max = t.psr;
    }
    return max >= 0 ? { n: max + 1, exact: false, how: `at least ${max + 1}: highest PSR seen + 1` } : undefined;
  });
}

/**
 * MemTotal in KiB: top's `MiB Mem : 24105.6 total` or a bundle; else derived from a process's
 * RSS and %MEM (`3 98.5 25.5 6818088 6313184` → 6313184 / 0.255), using the largest %MEM for precision.
 */
export function memTotalKiB(s: Snapshot): { kib: number; exact: boolean } | undefined {
  return memo(s, 'memTotal', () => {
    const t = s.meta.memKiB?.total;
    if (t !== undefined && t > 0) return { kib: t, exact: true };
    let best: Process | undefined;
    for (const p of s.processes) {
      if (p.rssKiB === undefined || p.pmem === undefined || p.pmem < 1) continue;
      if (!best || p.pmem > best.pmem!) best = p;
    }
    return best ? { kib: best.rssKiB! / (best.pmem! / 100), exact: false } : undefined;
  });
}

/** `13.1 GB`, `512 MB`, `900 kB` from KiB (decimal units, as free -h and top's scaled columns read). */
export function fmtKiB(kib: number): string {
  const b = kib * 1024;
  if (b >= 1e9) return `${(b / 1e9).toFixed(1)} GB`;
  if (b >= 1e6) return `${Math.round(b / 1e6)} MB`;
  return `${Math.round(kib)} kB`;
}

// ---------------------------------------------------------------------------------------------
// Terminals, job control, services

/** A controlling terminal (`pts/0`, `tty1`, busybox `136,2`); `?` and `-` mean none. */
export function hasTty(p: { tty?: string | undefined }): boolean {
  const t = p.tty?.trim();
  return t !== undefined && t !== '' && t !== '?' && t !== '-';
}

/**
 * Job control: in a terminal's foreground group (`+` in STAT, `32 pts/0 S+ sleep 100008`) or at
 * least on a terminal. A Ctrl-Z'd job loses `+` when the shell takes the terminal back, so a tty
 * alone counts too; a service has no terminal.
 */
export function isJobControl(p: Process): boolean {
  return hasTty(p) || (p.stat ?? '').includes('+');
}

// Daemons, databases and infrastructure whose stop makes clients hang (P18 "HIGH for daemons/DBs").
const SERVICES = /^(?:postgres|postmaster|mysqld|mariadbd|mongod|mongos|redis-server|redis-sentinel|memcached|etcd|consul|vault|zookeeper|kafka|java|beam\.smp|rabbitmq-server|nginx|httpd|apache2|haproxy|envoy|traefik|caddy|php-fpm.*|gunicorn|uwsgi|unicorn|puma|node|dockerd|containerd|containerd-shim.*|kubelet|kube-.*|crio|conmon|systemd.*|rsyslogd|syslog-ng|journald|sshd|chronyd|ntpd|named|unbound|dnsmasq|cron|crond|atd|ceph-.*|rook|csi-.*|elasticsearch|opensearch|clickhouse-server|influxd|prometheus|grafana-server|alertmanager|slapd|squid|varnishd|keydb-server|minio|cockroach)$/;

/** A daemon or database by name (`rsyslogd`, `redis-server *:6379`, `postgres: checkpointer`) or by `--daemon`. */
export function isServiceName(p: Process): boolean {
  const names = [argv0(p.args), procName(p)];
  for (const n of names) {
    if (!n) continue;
    if (SERVICES.test(n)) return true;
    // `…d` daemons (sshd, chronyd, rsyslogd) — only names of 4+ letters, so `sed`/`dd` do not count.
    if (/^[a-z][a-z0-9_-]{2,}d$/.test(n) && !/^(?:sed|find|xxd|dd|od|cmd|ld|gold|vipw|passwd|chmod|chown|mkd|bind|fsfreezed)$/.test(n)) return true;
  }
  return /(?:^|\s)--daemon(?:ize)?(?:\s|=|$)/.test(p.args ?? '');
}
