// Moments, CPU and memory: what P15–P28 read beyond one process row. Readings are taken from the
// captures themselves (ctx.ingest), not from the joined snapshots, because an input with one moment
// belongs to every snapshot, and two `/proc/loadavg` readings in one file
// (`$ cat /proc/loadavg` / `7.54 7.22 4.22 3/549 495` / `$ cat /proc/loadavg` / `7.34 7.18 4.23 3/547 1085`)
// are two sections of one input even when the ingest gives both moment 0.
//   loadReadings(ingest)     loadavg readings (load, runnable/total threads, last PID) and /proc/stat
//                            `processes`, in input order, timed by the capture or its bundle's meta
//   pidCounterSteps(ingest)  last-PID and fork-count deltas between readings (rates when timed)
//   topRefreshes(ingest)     top -b iterations per input, oldest first, thread view or not; idlePct
//   taskSeries, busyReadings, hasCpuOverTime, ownerOf, MISSING_CPU_OVER_TIME
//                            per-task CPU over time: top's per-refresh %CPU, or Δ CPU time / Δ wall
//                            time between ps moments (never one ps: its %CPU is a lifetime average)
//   cpuCount(s)              nCpu from the capture, else max(PSR)+1 (a lower bound)
//   memTotalKiB(s), fmtKiB   MemTotal from top/bundle, else derived from RSS and %MEM; `13.1 GiB`
//   snapshotGap, processSeries   time between moments (clocks, else etimes growth) and one process across them
//   hasTty, isJobControl, isServiceName   for stopped/traced processes
//   isRunc, runcOp           runc/crun processes and their operation (exec, init, kill…)
//   maxOf, minOf             without spreading a million values into arguments
import type { Capture, IngestResult, Meta, Process, Row, Snapshot } from '../model/index.ts';
import { argv0, memo, mentions, pidMap, procName } from './facts-tasks.ts';
import { gapSec, sameProcess, timeFromStartAndAge } from './facts-time.ts';

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
  return timeFromStartAndAge(c);
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
  /** /proc/stat `processes`: forks since boot. */
  forks?: number;
  /** Seconds on some clock, when the capture (or its bundle's meta section) says when it was taken. */
  at?: number;
}

const LOAD_CACHE = new WeakMap<IngestResult, LoadReading[]>();

/**
 * When each (input, moment) was taken, from any of its captures that says: a collector bundle's
 * `time=2026-11-26T19:02:20+00:00` dates its loadavg and /proc/stat sections too.
 */
function inputTimes(ingest: IngestResult): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of ingest.captures) {
    const k = `${c.input}\u0000${c.moment}`;
    if (out.has(k) || !c.meta.takenAt) continue;
    const t = Date.parse(c.meta.takenAt);
    if (!Number.isNaN(t)) out.set(k, t / 1000);
  }
  return out;
}

/** Every reading of `/proc/loadavg` (or busybox top's `Load average:` line) and of /proc/stat `processes`, in input order. */
export function loadReadings(ingest: IngestResult): LoadReading[] {
  const hit = LOAD_CACHE.get(ingest);
  if (hit) return hit;
  const out: LoadReading[] = [];
  const perInput = new Map<string, number>();
  const times = inputTimes(ingest);
  for (const c of ingest.captures) {
    const m = c.meta;
    if (m.lastPid === undefined && m.totalTasks === undefined && m.forks === undefined) continue;
    const section = perInput.get(c.input) ?? 0;
    perInput.set(c.input, section + 1);
    const at = captureAt(c) ?? times.get(`${c.input}\u0000${c.moment}`);
    out.push({
      input: c.input, line: c.firstLine, section,
      ...(m.load ? { load: m.load } : {}),
      ...(m.runnable !== undefined ? { runnable: m.runnable } : {}),
      ...(m.totalTasks !== undefined ? { totalTasks: m.totalTasks } : {}),
      ...(m.lastPid !== undefined ? { lastPid: m.lastPid } : {}),
      ...(m.forks !== undefined ? { forks: m.forks } : {}),
      ...(at !== undefined ? { at } : {}),
    });
  }
  LOAD_CACHE.set(ingest, out);
  return out;
}

export interface PidStep {
  /** Which counter: the last PID handed out, or /proc/stat `processes` (forks since boot). */
  counter: 'lastPid' | 'forks';
  from: LoadReading;
  to: LoadReading;
  /** PIDs handed out (or forks made) between the two readings. */
  delta: number;
  /** Seconds between them, when both readings have times. */
  sec?: number;
  /** Per second, when timed. */
  rate?: number;
}

/**
 * Counter steps between consecutive readings of one input (the order the user captured them), and
 * between timed readings of different inputs: the last PID of /proc/loadavg and /proc/stat
 * `processes`. A last-PID step that goes down is a wrap at pid_max (or another PID namespace's
 * counter) and is left out: its size is unknown.
 */
export function pidCounterSteps(ingest: IngestResult): PidStep[] {
  const out: PidStep[] = [];
  for (const counter of ['lastPid', 'forks'] as const) {
    const rs = loadReadings(ingest).filter((r) => r[counter] !== undefined);
    const byInput = new Map<string, LoadReading[]>();
    for (const r of rs) {
      const l = byInput.get(r.input);
      if (l) l.push(r); else byInput.set(r.input, [r]);
    }
    const step = (a: LoadReading, b: LoadReading): void => {
      const delta = b[counter]! - a[counter]!;
      if (delta <= 0) return;
      const sec = a.at !== undefined && b.at !== undefined ? b.at - a.at : undefined;
      out.push({ counter, from: a, to: b, delta, ...(sec !== undefined && sec > 0 ? { sec, rate: delta / sec } : {}) });
    };
    for (const list of byInput.values()) for (let i = 1; i < list.length; i++) step(list[i - 1], list[i]);
    const timed = rs.filter((r) => r.at !== undefined).sort((a, b) => a.at! - b.at!);
    for (let i = 1; i < timed.length; i++) if (timed[i].input !== timed[i - 1].input) step(timed[i - 1], timed[i]);
  }
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

/** `13.1 GiB`, `512 MiB`, `900 KiB` from KiB (binary units, as ps RSS, top and free -m count). */
export function fmtKiB(kib: number): string {
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)} GiB`;
  if (kib >= 1024) return `${Math.round(kib / 1024)} MiB`;
  return `${Math.round(kib)} KiB`;
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

// ---------------------------------------------------------------------------------------------
// Time between snapshots

/**
 * Seconds between two snapshots: their clocks when they differ, else the growth of the same
 * processes' ages (ps etimes 12 → 28 for pid 3 across two `$ ps -eo …etimes…` moments = 16 s),
 * which holds even when every moment shares one top header. undefined when neither tells.
 */
export function snapshotGap(a: Snapshot, b: Snapshot): number | undefined {
  const g = gapSec(a, b);
  if (g !== undefined && g > 0) return g;
  const ages = new Map<number, number>();
  for (const p of a.processes) if (p.elapsedSec !== undefined) ages.set(p.pid, p.elapsedSec);
  const deltas: number[] = [];
  for (const q of b.processes) {
    const before = ages.get(q.pid);
    if (before === undefined || q.elapsedSec === undefined || q.elapsedSec < before) continue;
    deltas.push(q.elapsedSec - before);
    if (deltas.length >= 50) break;
  }
  if (deltas.length === 0) return undefined;
  deltas.sort((x, y) => x - y);
  const mid = deltas[Math.floor(deltas.length / 2)];
  return mid > 0 ? mid : undefined;
}

/** The same process (same PID, not a reused one) in every snapshot that shows it, oldest first. */
export function processSeries(snapshots: readonly Snapshot[], p: Process): Array<{ s: Snapshot; p: Process }> {
  const out: Array<{ s: Snapshot; p: Process }> = [];
  for (const s of snapshots) {
    const q = pidMap(s).get(p.pid);
    if (q && sameProcess(p, q)) out.push({ s, p: q });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CPU over time (P23, P24): "ps %CPU is CPU time over the whole lifetime; top %CPU covers the time
// since the last refresh". Only inputs with ≥2 moments say what a task does now.

export interface TaskReading {
  moment: number;
  line: number;
  state?: string | null;
  /** %CPU as printed (top: since the last refresh; ps: lifetime average). */
  pcpu?: number;
  cpuSec?: number;
  psr?: number;
  at?: number;
  age?: number;
}

export interface TaskSeries {
  input: string;
  /** top -b iterations (their %CPU is per refresh) or another multi-moment input (ps, /proc/PID/stat). */
  top: boolean;
  threadView: boolean;
  /** TID for thread rows, PID otherwise. top -H prints TIDs in its PID column. */
  id: number;
  pid: number;
  kind: 'thread' | 'process';
  comm?: string;
  args?: string;
  readings: TaskReading[];
}

const SERIES_CACHE = new WeakMap<IngestResult, TaskSeries[]>();

/** Every task of every input that has ≥2 moments, with its readings oldest first. */
export function taskSeries(ingest: IngestResult): TaskSeries[] {
  const hit = SERIES_CACHE.get(ingest);
  if (hit) return hit;
  const byInput = new Map<string, Capture[]>();
  for (const c of ingest.captures) {
    if (c.rows.length === 0) continue;
    const l = byInput.get(c.input);
    if (l) l.push(c); else byInput.set(c.input, [c]);
  }
  const out: TaskSeries[] = [];
  for (const [input, caps] of byInput) {
    // Distinct moments of one input: top iterations and `$ ps …` repeated in one file.
    const moments = new Set(caps.map((c) => c.moment));
    if (moments.size < 2) continue;
    const series = new Map<string, TaskSeries>();
    for (const c of caps) {
      const top = c.format === 'top' || c.format === 'busybox-top';
      const threadView = top && (c.variant === 'threads' || c.meta.topTasks?.unit === 'threads');
      const at = captureAt(c);
      for (const r of c.rows) {
        const kind = r.kind;
        const id = kind === 'thread' ? (r.tid ?? r.pid) : r.pid;
        const key = `${kind}:${id}`;
        let ts = series.get(key);
        if (!ts) {
          ts = { input, top, threadView, id, pid: r.pid, kind, readings: [], ...(r.comm ? { comm: r.comm } : {}), ...(r.args ? { args: r.args } : {}) };
          series.set(key, ts);
        }
        ts.readings.push({
          moment: c.moment, line: r.line,
          ...(r.state !== undefined ? { state: r.state } : {}),
          ...(r.pcpu !== undefined ? { pcpu: r.pcpu } : {}),
          ...(r.cpuTimeSec !== undefined ? { cpuSec: r.cpuTimeSec } : {}),
          ...(r.psr !== undefined ? { psr: r.psr } : {}),
          ...(at !== undefined ? { at } : {}),
          ...(r.elapsedSec !== undefined ? { age: r.elapsedSec } : {}),
        });
      }
    }
    for (const ts of series.values()) {
      if (ts.readings.length < 2) continue;
      ts.readings.sort((a, b) => a.moment - b.moment);
      out.push(ts);
    }
  }
  SERIES_CACHE.set(ingest, out);
  return out;
}

export interface Busy { pct: number; state?: string | null; line: number; moment: number; psr?: number }

/**
 * CPU % per interval: top's %CPU of each refresh, or for other inputs Δ CPU time / Δ wall time
 * between consecutive moments (wall time from the capture's clock, else from the task's age),
 * only over ≥2 s because ps TIME has 1 s resolution.
 */
export function busyReadings(ts: TaskSeries): Busy[] {
  const out: Busy[] = [];
  if (ts.top) {
    for (const r of ts.readings) if (r.pcpu !== undefined) out.push({ pct: r.pcpu, line: r.line, moment: r.moment, ...(r.state !== undefined ? { state: r.state } : {}), ...(r.psr !== undefined ? { psr: r.psr } : {}) });
    return out;
  }
  for (let i = 1; i < ts.readings.length; i++) {
    const a = ts.readings[i - 1];
    const b = ts.readings[i];
    if (a.cpuSec === undefined || b.cpuSec === undefined) continue;
    const dt = a.at !== undefined && b.at !== undefined ? b.at - a.at : a.age !== undefined && b.age !== undefined ? b.age - a.age : undefined;
    if (dt === undefined || dt < 2) continue;
    out.push({ pct: ((b.cpuSec - a.cpuSec) / dt) * 100, line: b.line, moment: b.moment, ...(b.state !== undefined ? { state: b.state } : {}), ...(b.psr !== undefined ? { psr: b.psr } : {}) });
  }
  return out;
}

/** Whether the input has anything that measures CPU over time (top refreshes or ≥2 moments with CPU time). */
export function hasCpuOverTime(ingest: IngestResult): boolean {
  return taskSeries(ingest).some((ts) => (ts.top && ts.readings.some((r) => r.pcpu !== undefined)) || ts.readings.filter((r) => r.cpuSec !== undefined).length >= 2);
}

export const MISSING_CPU_OVER_TIME = 'one moment only, and ps %CPU is a lifetime average: capture `top -H -b -n 3 -d 1` (or `ps -eLo pid,tid,stat,psr,time,comm` twice, 10 s apart)';

/** The process that owns a task id: its thread list (ps -L/-m), else the process of that PID. top -H prints only TIDs. */
export function ownerOf(s: Snapshot, id: number): Process | undefined {
  return memo(s, 'ownerOfTid', () => {
    const m = new Map<number, Process>();
    for (const p of s.processes) for (const t of p.threads) if (!m.has(t.tid)) m.set(t.tid, p);
    return m;
  }).get(id) ?? pidMap(s).get(id);
}

// ---------------------------------------------------------------------------------------------
// Container runtime helpers (P26, P27)

/** runc/crun and runc's own init (`runc:[2:INIT]`, `runc init`). */
export function isRunc(p: Process): boolean {
  if (!mentions(p, 'runc') && !mentions(p, 'crun')) return false; // most rows: no name copied
  const a0 = argv0(p.args);
  return a0 === 'runc' || a0 === 'crun' || procName(p).startsWith('runc:[') || /^(?:\S*\/)?runc\s+init\b/.test((p.args ?? '').trim());
}

const OPS = new Set(['init', 'exec', 'kill', 'delete', 'create', 'start', 'run', 'update', 'pause', 'resume', 'state', 'ps', 'events', 'checkpoint', 'restore']);

/** `runc --root … --log-format json exec --process … <id>` → `exec`; `runc:[2:INIT]` → `init`. */
export function runcOp(p: Process): string {
  if (procName(p).startsWith('runc:[')) return 'init';
  const toks = (p.args ?? '').trim().split(/\s+/).slice(1);
  for (const t of toks) if (OPS.has(t)) return t;
  return 'runc';
}


export { maxOf, minOf } from './facts-time.ts';
