// Messages between the page and the analysis worker. Everything is structured-cloned; nothing
// leaves the browser.
import type { Analysis } from '../model/analysis.ts';
import type { OverviewFacts } from '../ui/lib/overviewFacts.ts';

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  inputs: { name: string; text: string }[];
}

export type WorkerMessage =
  | { type: 'progress'; id: number; phase: 'ingest' | 'snapshot' | 'diagnose'; done: number; total: number }
  /**
   * Sent first: everything but the process lists (snapshots carry `processes: []`), with what the
   * overview needs from them. Cloning 100k processes takes about a second; findings need not wait.
   */
  | { type: 'summary'; id: number; analysis: Analysis; facts: OverviewFacts[]; ms: number }
  | { type: 'result'; id: number; analysis: Analysis; ms: number }
  | { type: 'error'; id: number; message: string };

/**
 * The page needs the ingest summary (inputs, sections, warnings, errors) but not the parsed rows of
 * every capture: those are already joined into the snapshots. Dropping them halves what has to be
 * cloned back for a big paste.
 */
export function forThePage(a: Analysis): Analysis {
  return {
    ...a,
    ingest: { ...a.ingest, captures: a.ingest.captures.map((c) => ({ ...c, rows: [], kernelTasks: [] })) },
  };
}

/** The analysis without its process lists, for the first message. */
export function summaryOf(a: Analysis): Analysis {
  return { ...a, snapshots: a.snapshots.map((s) => ({ ...s, processes: [], roots: [] })) };
}
