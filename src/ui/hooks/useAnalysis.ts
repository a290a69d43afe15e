// Talks to the analysis worker. A new run terminates a run still in flight (a big paste replaced
// by a fixed one), so stale results can never land on top of fresh ones.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Analysis } from '../../model/analysis.ts';
import type { AnalyzeRequest, WorkerMessage } from '../../worker/protocol.ts';
import type { OverviewFacts } from '../lib/overviewFacts.ts';

export interface InputFile { name: string; text: string }

export type RunStatus =
  | { kind: 'idle' }
  | { kind: 'running'; done: number; total: number; startedAt: number }
  | { kind: 'done'; ms: number }
  | { kind: 'failed'; message: string };

export interface AnalysisState {
  status: RunStatus;
  analysis: Analysis | null;
  /** The findings and counts are here but the process lists are still on their way. */
  partial: boolean;
  /** Per snapshot: what the overview needs from the process list. */
  facts: OverviewFacts[];
  /** How long the worker took to ingest, join and diagnose (ms), for the overview. */
  analyseMs: number | null;
  /** The inputs the current analysis was made from (line lookups, sharing). */
  analysed: InputFile[];
  run(inputs: InputFile[]): void;
}

function newWorker(): Worker {
  return new Worker(new URL('../../worker/analyze.worker.ts', import.meta.url), { type: 'module', name: 'procscope-analyze' });
}

export function useAnalysis(): AnalysisState {
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);
  const [status, setStatus] = useState<RunStatus>({ kind: 'idle' });
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [partial, setPartial] = useState(false);
  const [facts, setFacts] = useState<OverviewFacts[]>([]);
  const [analyseMs, setAnalyseMs] = useState<number | null>(null);
  const [analysed, setAnalysed] = useState<InputFile[]>([]);
  const pending = useRef<InputFile[]>([]);

  const attach = useCallback((w: Worker) => {
    w.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const m = ev.data;
      if (m.id !== seq.current) return;
      if (m.type === 'progress') {
        setStatus((s) => ({ kind: 'running', done: m.done, total: m.total, startedAt: s.kind === 'running' ? s.startedAt : performance.now() }));
      } else if (m.type === 'summary') {
        setAnalysis(m.analysis);
        setFacts(m.facts);
        setAnalyseMs(m.ms);
        setPartial(true);
        setAnalysed(pending.current);
      } else if (m.type === 'result') {
        setAnalysis(m.analysis);
        setPartial(false);
        setAnalysed(pending.current);
        setStatus({ kind: 'done', ms: m.ms });
      } else {
        setStatus({ kind: 'failed', message: m.message });
      }
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      setStatus({ kind: 'failed', message: ev.message || 'the analysis worker stopped' });
    };
  }, []);

  const run = useCallback((inputs: InputFile[]) => {
    const id = ++seq.current;
    if (worker.current && status.kind === 'running') {
      worker.current.terminate();
      worker.current = null;
    }
    if (!worker.current) {
      worker.current = newWorker();
      attach(worker.current);
    }
    pending.current = inputs;
    setStatus({ kind: 'running', done: 0, total: 1, startedAt: performance.now() });
    const req: AnalyzeRequest = { type: 'analyze', id, inputs };
    worker.current.postMessage(req);
  }, [attach, status.kind]);

  useEffect(() => () => worker.current?.terminate(), []);

  return { status, analysis, partial, facts, analyseMs, analysed, run };
}
