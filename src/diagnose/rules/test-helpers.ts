// Test helpers for the rule tests (not a rule): load a real sample folder, run one rule through the
// engine, and rewrite real lines where a pitfall has no capture of its own.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../analyze.ts';
import type { Analysis, Input } from '../../model/index.ts';
import { diagnose } from '../engine.ts';
import type { Rule } from '../types.ts';

export const SAMPLES = join(import.meta.dirname, '..', '..', '..', 'samples');

/** The capture files of samples/<name> (everything but README.md and expected.json). */
export function sampleInputs(name: string, only?: (file: string) => boolean): Input[] {
  const dir = join(SAMPLES, name);
  return readdirSync(dir)
    .filter((f) => f !== 'README.md' && f !== 'expected.json' && statSync(join(dir, f)).isFile() && (!only || only(f)))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

export function sampleFile(name: string, file: string): string {
  return readFileSync(join(SAMPLES, name, file), 'utf8');
}

/** Run only `rule` over the inputs: its findings and whether it was evaluated. */
export function runRule(rule: Rule, inputs: readonly Input[]): { analysis: Analysis; findings: Analysis['findings']; missing: string | undefined } {
  const analysis = analyze(inputs);
  const d = diagnose(analysis.snapshots, analysis.ingest, [rule]);
  return { analysis, findings: d.findings, missing: d.notEvaluated.find((n) => n.rule === rule.id)?.missing };
}

/** Replace one whole line (matched by a predicate) of a real capture, keeping every other byte. */
export function editLine(text: string, match: (line: string) => boolean, edit: (line: string) => string): string {
  let done = false;
  const out = text.split('\n').map((l) => {
    if (done || !match(l)) return l;
    done = true;
    return edit(l);
  }).join('\n');
  if (!done) throw new Error('editLine: no line matched');
  return out;
}

/**
 * One moment of a `*-2moments.txt` capture: the `$ command` line and what it printed, for the
 * n-th (0-based) of the echoed commands.
 */
export function moment(text: string, n: number): string {
  const lines = text.split('\n');
  const starts = lines.map((l, i) => (l.startsWith('$ ') ? i : -1)).filter((i) => i >= 0);
  if (n >= starts.length) throw new Error(`moment: only ${starts.length} moments`);
  return lines.slice(starts[n], starts[n + 1] ?? lines.length).join('\n');
}

/** Inputs of a sample with one file replaced (by name) and others left out. */
export function withFile(inputs: readonly Input[], name: string, text: string): Input[] {
  return inputs.map((i) => (i.name === name ? { name, text } : i));
}
