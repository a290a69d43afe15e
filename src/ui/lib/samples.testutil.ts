// Test helper: a real sample from samples/ through the whole core, as the worker would run it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../analyze.ts';
import type { Analysis } from '../../model/analysis.ts';

export const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../samples');

export function sampleInputs(id: string): { name: string; text: string }[] {
  const dir = path.join(SAMPLES, id);
  return readdirSync(dir).filter((n) => n !== 'README.md' && n !== 'expected.json').sort()
    .map((n) => ({ name: n, text: readFileSync(path.join(dir, n), 'utf8') }));
}

export function expectedOf(id: string): { findings: { rule: string; pids: number[] }[] } {
  return JSON.parse(readFileSync(path.join(SAMPLES, id, 'expected.json'), 'utf8'));
}

const cache = new Map<string, Analysis>();
export function analysed(id: string): Analysis {
  let a = cache.get(id);
  if (!a) { a = analyze(sampleInputs(id)); cache.set(id, a); }
  return a;
}

export function latest(id: string) {
  const a = analysed(id);
  return a.snapshots[a.snapshots.length - 1];
}

export function allSampleIds(): string[] {
  return readdirSync(SAMPLES).filter((n) => !n.startsWith('.')).sort();
}
