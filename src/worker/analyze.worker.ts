// Runs the whole core (ingest → snapshot → diagnose) off the main thread, so a 100k-line paste
// never freezes the page. Progress is throttled to a few messages per second.
import { analyze } from '../analyze.ts';
import { overviewFacts } from '../ui/lib/overviewFacts.ts';
import { forThePage, summaryOf, type AnalyzeRequest, type WorkerMessage } from './protocol.ts';

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

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
    const page = forThePage(analysis);
    post({ type: 'summary', id: req.id, analysis: summaryOf(page), facts: analysis.snapshots.map((s) => overviewFacts(s)), ms: performance.now() - t0 });
    post({ type: 'result', id: req.id, analysis: page, ms: performance.now() - t0 });
  } catch (err) {
    // analyze() is not supposed to throw on any input; if it does, say so instead of spinning.
    post({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err) });
  }
};
