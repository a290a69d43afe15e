// Findings and the analysis document (`procscope.analysis/1`, the CLI's --json contract).
import { z } from 'zod';
import { SectionInfo, Warning } from './capture.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export const severityRank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s);

/** One piece of proof: a sentence, optionally pointing at a process and the input line it quotes. */
export const Evidence = z.object({
  text: z.string(),
  pid: z.number().int().optional(),
  input: z.string().optional(),
  line: z.number().int().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Finding = z.object({
  rule: z.string(),
  severity: Severity,
  title: z.string(),
  /** The processes it is about, the cause first. */
  pids: z.array(z.number().int()),
  summary: z.string(),
  evidence: z.array(Evidence),
  /** Next commands, filled in with the real PIDs and devices. */
  next: z.array(z.string()),
  /** Findings that share a root cause share this key (e.g. `device:rbd3`, `wchan:folio_wait_bit_common`). */
  rootCause: z.string().optional(),
  /** How many processes/threads it explains, for ordering. */
  explains: z.number().int(),
  /** Which snapshot it was found in. */
  snapshot: z.number().int(),
});
export type Finding = z.infer<typeof Finding>;

export const NotEvaluated = z.object({ rule: z.string(), missing: z.string() });
export type NotEvaluated = z.infer<typeof NotEvaluated>;

export const InputSummary = z.object({ name: z.string(), sections: z.array(SectionInfo) });

export const JsonThread = z.object({ tid: z.number().int(), state: z.string().nullable(), wchan: z.string().nullable() });
export const JsonProcess = z.object({
  pid: z.number().int(), ppid: z.number().int().nullable(), state: z.string().nullable(), stat: z.string().nullable(),
  user: z.string().nullable(), comm: z.string().nullable(), args: z.string().nullable(), wchan: z.string().nullable(),
  threads: z.array(JsonThread),
}).loose();

/** The `procscope.analysis/1` document. Fields may be added; these keep their meaning. */
export const AnalysisJson = z.object({
  schema: z.literal('procscope.analysis/1'),
  inputs: z.array(InputSummary),
  warnings: z.array(z.object({ input: z.string(), line: z.number().int(), message: z.string() })),
  snapshots: z.array(z.object({
    takenAt: z.string().nullable(),
    processes: z.array(JsonProcess),
    counts: z.object({
      processes: z.number().int(), threads: z.number().int(),
      byState: z.record(z.string(), z.number().int()), threadsByState: z.record(z.string(), z.number().int()),
    }).loose(),
  }).loose()),
  findings: z.array(z.object({
    rule: z.string(), severity: Severity, title: z.string(), pids: z.array(z.number().int()),
    summary: z.string(), evidence: z.array(z.string()), next: z.array(z.string()),
  }).loose()),
  notEvaluated: z.array(NotEvaluated),
}).loose();
export type AnalysisJson = z.infer<typeof AnalysisJson>;

export type { Warning };

/** What the core returns for a set of inputs: shared by the worker, CLI, server and tests. */
export interface Analysis {
  ingest: import('./capture.ts').IngestResult;
  snapshots: import('./snapshot.ts').Snapshot[];
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}
