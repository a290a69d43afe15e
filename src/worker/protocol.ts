// Messages between the page and the analysis worker. Everything is structured-cloned; nothing
// leaves the browser.
import type { Analysis } from '../model/analysis.ts';

export interface AnalyzeRequest {
  type: 'analyze';
  id: number;
  inputs: { name: string; text: string }[];
}

export type WorkerMessage =
  | { type: 'progress'; id: number; phase: 'ingest' | 'snapshot' | 'diagnose'; done: number; total: number }
  | { type: 'result'; id: number; analysis: Analysis; ms: number }
  | { type: 'error'; id: number; message: string };
