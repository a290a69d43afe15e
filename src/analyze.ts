// The whole core in one call: text → captures → snapshots → findings. Shared by the worker, the
// CLI, the server and the tests. Pure.
import type { Analysis, Input } from './model/index.ts';
import { ingest, type Progress } from './ingest/index.ts';
import { buildSnapshots } from './snapshot/index.ts';
import { diagnose } from './diagnose/engine.ts';

export function analyze(inputs: readonly Input[], onProgress?: Progress): Analysis {
  const ingested = ingest(inputs, onProgress);
  const snapshots = buildSnapshots(ingested);
  const { findings, notEvaluated } = diagnose(snapshots, ingested);
  return { ingest: ingested, snapshots, findings, notEvaluated };
}
