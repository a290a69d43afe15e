// The joined process graph of one moment. Built by src/snapshot from Capture[]; views, rules,
// reports and share payloads read only this.
import { z } from 'zod';
import { KernelTask, Meta, Row, StateLetter } from './capture.ts';

/** Where a row came from: index into Snapshot.sources, and the 1-based input line. */
export const SourceRef = z.object({ s: z.number().int(), line: z.number().int() });
export type SourceRef = z.infer<typeof SourceRef>;

export const SourceInfo = z.object({
  input: z.string(),
  format: z.string(),
  variant: z.string(),
  /** Row fields this source provides, in priority order of the join. */
  fields: z.array(z.string()),
});
export type SourceInfo = z.infer<typeof SourceInfo>;

const RowFields = Row.omit({ line: true, kind: true, pid: true, tid: true, ppid: true, state: true, stat: true, wchan: true });

export const Thread = RowFields.extend({
  /** The thread id; negative (-1, -2, …) when the input listed the thread without one (`ps m`). */
  tid: z.number().int(),
  state: StateLetter.nullable(),
  stat: z.string().nullable(),
  wchan: z.string().nullable(),
  src: z.array(SourceRef),
});
export type Thread = z.infer<typeof Thread>;

export const Process = RowFields.extend({
  pid: z.number().int(),
  /** null when no input gave the parent. PPID 0: a root (PID 1, kthreadd, entered from outside a PID namespace). */
  ppid: z.number().int().nullable(),
  /** The main thread's state, one letter (busybox `SW` → `S`); null when unknown. */
  state: StateLetter.nullable(),
  stat: z.string().nullable(),
  wchan: z.string().nullable(),
  /** Threads the input showed (empty when it showed none). Includes the main thread when shown. */
  threads: z.array(Thread),
  /** Child PIDs, ascending. */
  children: z.array(z.number().int()),
  /** Depth from its root (0 for roots and for processes whose parent is not in the snapshot). */
  depth: z.number().int(),
  /** Processes in the subtree including itself, and their threads (processes count 1 when no threads shown). */
  subtreeSize: z.number().int(),
  subtreeThreads: z.number().int(),
  /** Host PID when NSpid showed this process lives in a nested PID namespace. */
  hostPid: z.number().int().optional(),
  /** Kernel tasks (hung-task, SysRq-w) that joined this process by PID (and comm). */
  kernelTasks: z.array(KernelTask),
  /** Kernel-thread heuristic: [bracketed] args, PPID 2 or Kthread: 1. */
  isKernelThread: z.boolean(),
  /** Where each part of this process came from, in join priority order. */
  src: z.array(SourceRef),
});
export type Process = z.infer<typeof Process>;

export const StateCounts = z.record(z.string(), z.number().int());
export type StateCounts = z.infer<typeof StateCounts>;

export const Counts = z.object({
  processes: z.number().int(),
  /** Threads shown; when no input showed threads, one per process (the main thread). */
  threads: z.number().int(),
  /** Whether any input showed per-thread rows. */
  threadsShown: z.boolean(),
  byState: StateCounts,
  threadsByState: StateCounts,
});
export type Counts = z.infer<typeof Counts>;

/** Inputs that disagree about one process: both values are kept and reported. */
export const Conflict = z.object({
  pid: z.number().int(),
  tid: z.number().int().optional(),
  field: z.string(),
  values: z.array(z.object({ value: z.string(), src: SourceRef })),
  message: z.string(),
});
export type Conflict = z.infer<typeof Conflict>;

export const Snapshot = z.object({
  /** Position in the timeline (0-based). */
  index: z.number().int(),
  label: z.string(),
  takenAt: z.string().nullable(),
  sources: z.array(SourceInfo),
  /** Ascending by PID. */
  processes: z.array(Process),
  /** PIDs whose PPID is 0, or whose parent is not in the snapshot. */
  roots: z.array(z.number().int()),
  /** Kernel tasks that matched no process (their PIDs may be host PIDs). */
  kernelTasks: z.array(KernelTask),
  meta: Meta,
  counts: Counts,
  conflicts: z.array(Conflict),
});
export type Snapshot = z.infer<typeof Snapshot>;
