// The contract between the diagnosis engine and the one-file-per-rule rules (rules/<rule-id>.ts).
import type { Finding, IngestResult, Process, Severity, Snapshot } from '../model/index.ts';

export interface RuleContext {
  /** Every moment, oldest first. Rules that need time compare them; most look at `current`. */
  snapshots: readonly Snapshot[];
  /** The latest moment. */
  current: Snapshot;
  ingest: IngestResult;
  /** PID → process of a snapshot (the current one by default). */
  byPid(snapshot?: Snapshot): Map<number, Process>;
}

/** A finding as a rule returns it; the engine stamps `rule` and `snapshot`. */
export type FindingDraft = Omit<Finding, 'rule' | 'snapshot'> & { snapshot?: number };

export interface Rule {
  /** = file name = DESIGN.md rule id. */
  id: string;
  /** heuristics.md pattern number, 'P01'…'P28'. */
  pattern: string;
  /** One line for the README: what it catches. */
  catches: string;
  /** One line for the README: what input it needs. */
  needsText: string;
  /**
   * What is missing for this rule to be evaluated, phrased as what to capture
   * ("no wchan: capture `ps -eo pid,ppid,stat,wchan:32,cmd`"), or null when it can run.
   */
  missing(ctx: RuleContext): string | null;
  evaluate(ctx: RuleContext): FindingDraft[];
}

export type { Severity };
