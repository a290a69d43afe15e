// Captures: what one section of one input said, row by row, before anything is joined.
// Every parser in src/ingest/formats returns Capture objects validated by these schemas.
import { z } from 'zod';

/** Kernel task state letters (ps(1), proc_pid_status(5)); P = parked, shown by /proc status. */
export const StateLetter = z.enum(['D', 'R', 'S', 'T', 't', 'Z', 'X', 'I', 'W', 'P']);
export type StateLetter = z.infer<typeof StateLetter>;
export const STATE_LETTERS = StateLetter.options;

export const Warning = z.object({
  input: z.string(),
  line: z.number().int(),
  message: z.string(),
  /** The raw text of the line, kept so nothing pasted is lost. */
  raw: z.string().optional(),
});
export type Warning = z.infer<typeof Warning>;

export const FORMATS = [
  'ps', 'busybox-ps', 'top', 'busybox-top', 'pstree',
  'proc-status', 'proc-stat', 'proc-wchan', 'proc-stack', 'proc-cmdline',
  'loadavg', 'proc-stat-global', 'kernel-log', 'bundle-meta',
] as const;
export const Format = z.enum(FORMATS);
export type Format = z.infer<typeof Format>;

/**
 * One process or thread row. Every field is optional: what an input did not contain is
 * unknown (undefined), never zero. Units: memory in KiB, times in seconds.
 */
export const Row = z.object({
  /** 1-based line in the input this row came from. */
  line: z.number().int(),
  /** 'thread' for `ps -L`/`m`/`-T`, top -H and pstree `{thread}` rows. */
  kind: z.enum(['process', 'thread']),
  pid: z.number().int().nonnegative(),
  /** Thread id (LWP/SPID/TID); for a process row, only when the input printed one. */
  tid: z.number().int().nonnegative().optional(),
  ppid: z.number().int().nonnegative().optional(),
  pgid: z.number().int().optional(),
  sid: z.number().int().optional(),
  tpgid: z.number().int().optional(),
  tgid: z.number().int().optional(),
  uid: z.number().int().optional(),
  user: z.string().optional(),
  group: z.string().optional(),
  tty: z.string().optional(),
  /** The raw STAT/S column (`Ssl`, `D<`, busybox `SW`); the state letter is `state`. */
  stat: z.string().optional(),
  state: StateLetter.nullable().optional(),
  /** Wait channel symbol; null when the input printed `-`/`0` (running). */
  wchan: z.string().nullable().optional(),
  comm: z.string().optional(),
  args: z.string().optional(),
  pcpu: z.number().optional(),
  pmem: z.number().optional(),
  vszKiB: z.number().optional(),
  rssKiB: z.number().optional(),
  shrKiB: z.number().optional(),
  nlwp: z.number().int().optional(),
  psr: z.number().int().optional(),
  nice: z.number().int().optional(),
  pri: z.string().optional(),
  cls: z.string().optional(),
  cpuTimeSec: z.number().optional(),
  /** Process age in seconds (etime/etimes). */
  elapsedSec: z.number().optional(),
  /** Start as printed (lstart/start/stime/bsdstart), and as ISO when a full date was given. */
  startRaw: z.string().optional(),
  startIso: z.string().optional(),
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  startTicks: z.number().optional(),
  tracerPid: z.number().int().optional(),
  ctxtVoluntary: z.number().optional(),
  ctxtNonvoluntary: z.number().optional(),
  /** NSpid from /proc/PID/status: outermost (host) first. */
  nspid: z.array(z.number().int()).optional(),
  kthread: z.boolean().optional(),
  /** Kernel stack frames, innermost first, without `[<0>]` and offsets kept. */
  stack: z.array(z.string()).optional(),
  /** The command may have been cut at a terminal width (80-column ps, top `+`, pstree). */
  truncated: z.boolean().optional(),
  /** Forest / pstree depth, only as printed; parentage comes from PPID. */
  depth: z.number().int().optional(),
  /** Columns this parser keeps raw (header → value), e.g. CGROUP, LABEL, ADDR. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type Row = z.infer<typeof Row>;

/** A task from a hung-task report or a SysRq-w/t dump; PIDs there may be host PIDs. */
export const KernelTask = z.object({
  line: z.number().int(),
  source: z.enum(['hung-task', 'sysrq-w', 'sysrq-t', 'lock-owner']),
  comm: z.string(),
  pid: z.number().int().nonnegative(),
  ppid: z.number().int().nonnegative().optional(),
  tgid: z.number().int().nonnegative().optional(),
  state: StateLetter.nullable(),
  /** `blocked for more than N seconds` (the timeout on old kernels, the real time on new). */
  blockedSec: z.number().optional(),
  stack: z.array(z.string()),
  workqueue: z.string().optional(),
  tainted: z.string().optional(),
  /** "blocked on a mutex likely owned by task B:Q" — the owner the kernel named. */
  lockOwner: z.object({ comm: z.string(), pid: z.number().int(), kind: z.string() }).optional(),
  /** Raw log lines of the report, prefixes stripped. */
  text: z.array(z.string()),
});
export type KernelTask = z.infer<typeof KernelTask>;

/** Facts about the host and the moment, from top headers, loadavg, /proc/stat and bundles. */
export const Meta = z.object({
  host: z.string().optional(),
  /** When the capture was taken, ISO 8601 if known, else as printed. */
  takenAt: z.string().optional(),
  /** top's clock (`top - 17:51:47 up ...`) when no date is known. */
  clock: z.string().optional(),
  uname: z.string().optional(),
  kernel: z.string().optional(),
  nCpu: z.number().int().optional(),
  uptimeSec: z.number().optional(),
  users: z.number().int().optional(),
  load: z.tuple([z.number(), z.number(), z.number()]).optional(),
  /** /proc/loadavg field 4: runnable / total *threads*; field 5: last PID created. */
  runnable: z.number().int().optional(),
  totalTasks: z.number().int().optional(),
  lastPid: z.number().int().optional(),
  pidMax: z.number().int().optional(),
  threadsMax: z.number().int().optional(),
  pidsLimit: z.number().int().optional(),
  /** top's `Tasks:`/`Threads:` line. `sleeping` includes D before procps 4.0.5 (dsleep absent). */
  topTasks: z.object({
    unit: z.enum(['tasks', 'threads']),
    total: z.number().int(), running: z.number().int(), sleeping: z.number().int(),
    dsleep: z.number().int().optional(), stopped: z.number().int(), zombie: z.number().int(),
  }).optional(),
  cpu: z.record(z.string(), z.number()).optional(),
  memKiB: z.object({
    total: z.number().optional(), free: z.number().optional(), used: z.number().optional(),
    buffCache: z.number().optional(), avail: z.number().optional(),
    swapTotal: z.number().optional(), swapFree: z.number().optional(), swapUsed: z.number().optional(),
  }).optional(),
  procsRunning: z.number().int().optional(),
  procsBlocked: z.number().int().optional(),
  /** /proc/stat `processes`: forks since boot. */
  forks: z.number().optional(),
  btime: z.number().optional(),
  /** Free-form facts a bundle recorded (section name → text). */
  notes: z.record(z.string(), z.string()).optional(),
});
export type Meta = z.infer<typeof Meta>;

export const Capture = z.object({
  input: z.string(),
  format: Format,
  /** e.g. 'aux', '-ef', '-eLf', '-o', 'forest', 'bulk', 'hung-task', '4.0.5'. */
  variant: z.string(),
  firstLine: z.number().int(),
  lastLine: z.number().int(),
  /**
   * Which moment of this input the capture belongs to: top -b -n3 gives 0,1,2. Captures of one
   * input with the same moment — and every input given together — are joined into one snapshot.
   */
  moment: z.number().int().nonnegative(),
  /** The fields this capture provides, in Row terms (pid, ppid, stat, wchan, args, …). */
  fields: z.array(z.string()),
  /** The columns exactly as the input's header named them, when it had one. */
  header: z.array(z.string()).optional(),
  rows: z.array(Row),
  kernelTasks: z.array(KernelTask),
  meta: Meta,
  warnings: z.array(Warning),
});
export type Capture = z.infer<typeof Capture>;

/** An input the user gave: a file, a paste, stdin. */
export const Input = z.object({ name: z.string(), text: z.string() });
export type Input = z.infer<typeof Input>;

export const SectionInfo = z.object({
  format: Format,
  variant: z.string(),
  firstLine: z.number().int(),
  lastLine: z.number().int(),
});
export type SectionInfo = z.infer<typeof SectionInfo>;

export const IngestResult = z.object({
  inputs: z.array(z.object({ name: z.string(), lines: z.number().int(), sections: z.array(SectionInfo) })),
  captures: z.array(Capture),
  warnings: z.array(Warning),
  /** Inputs in no known format: one clear message each, naming the input and what it looked like. */
  errors: z.array(z.object({ input: z.string(), message: z.string() })),
});
export type IngestResult = z.infer<typeof IngestResult>;
