// Runs the whole core (ingest → snapshot → diagnose) off the main thread, so a 100k-line paste
// never freezes the page. Progress is throttled to a few messages per second.
import { analyze } from '../analyze.ts';
import type { Analysis } from '../model/analysis.ts';
import type { AnalyzeRequest, WorkerMessage } from './protocol.ts';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

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

self.onmessage = (ev: MessageEvent<AnalyzeRequest>) => {
  const req = ev.data;
  if (!req || req.type !== 'analyze') return;
  const t0 = performance.now();
  let last = 0;
  try {
    const analysis = analyze(req.inputs, (done, total) => {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      post({ type: 'progress', id: req.id, phase: 'ingest', done, total });
    });
    post({ type: 'result', id: req.id, analysis: forThePage(analysis), ms: performance.now() - t0 });
  } catch (err) {
    // analyze() is not supposed to throw on any input; if it does, say so instead of spinning.
    post({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
};
