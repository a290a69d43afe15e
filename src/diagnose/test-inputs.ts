// Real inputs for the diagnose tests: the samples under samples/ and the pitfall captures under
// src/diagnose/__fixtures__ (see its README). Node-only; imported by tests, never by the core.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../analyze.ts';
import type { Analysis, Finding, Input } from '../model/index.ts';
import { indexByPid } from '../snapshot/index.ts';
import type { RuleContext } from './types.ts';

export const SAMPLES_DIR = join(import.meta.dirname, '..', '..', 'samples');
export const FIXTURES_DIR = join(import.meta.dirname, '__fixtures__');

function readFolder(dir: string): Input[] {
  return readdirSync(dir)
    .filter((f) => f !== 'README.md' && f !== 'expected.json' && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

export function hasSample(name: string): boolean {
  return existsSync(join(SAMPLES_DIR, name, 'expected.json'));
}

/** The capture files of samples/<name> (README and expected.json left out). */
export function sampleInputs(name: string): Input[] {
  return readFolder(join(SAMPLES_DIR, name));
}

/** One file of a sample, as text. */
export function sampleFile(name: string, file: string): string {
  return readFileSync(join(SAMPLES_DIR, name, file), 'utf8');
}

export function fixtureInputs(name: string): Input[] {
  return readFolder(join(FIXTURES_DIR, name));
}

const cache = new Map<string, Analysis>();
export function analyzeSample(name: string): Analysis {
  const k = `s:${name}`;
  let a = cache.get(k);
  if (!a) { a = analyze(sampleInputs(name)); cache.set(k, a); }
  return a;
}

export function analyzeFixture(name: string): Analysis {
  const k = `f:${name}`;
  let a = cache.get(k);
  if (!a) { a = analyze(fixtureInputs(name)); cache.set(k, a); }
  return a;
}

/** The context rules get, for calling facts directly. */
export function contextOf(a: Analysis): RuleContext {
  const current = a.snapshots[a.snapshots.length - 1];
  return { snapshots: a.snapshots, current, ingest: a.ingest, byPid: (s = current) => indexByPid(s) };
}

export function findingsOf(a: Analysis, rule: string): Finding[] {
  return a.findings.filter((f) => f.rule === rule);
}
