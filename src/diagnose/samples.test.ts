// Every real sample against its reviewer's expected.json (DESIGN.md "Samples"): each expected
// {rule, pids} finding is present — same rule, its pids include the expected ones, the cause first —
// and no rule listed as `quiet` fires. Covers all 28 rules; an expected finding whose rule is not
// registered yet is skipped (it runs as soon as the rule lands in rules/index.ts).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyze } from '../analyze.ts';
import type { Analysis, Finding } from '../model/index.ts';
import { RULES } from './rules/index.ts';

interface Expected {
  situation?: string;
  findings: Array<{ rule: string; pids: number[] }>;
  quiet?: string[];
}

const SAMPLES = join(import.meta.dirname, '..', '..', 'samples');
const registered = new Set(RULES.map((r) => r.id));

function cases(): string[] {
  if (!existsSync(SAMPLES)) return [];
  return readdirSync(SAMPLES)
    .filter((d) => statSync(join(SAMPLES, d)).isDirectory() && existsSync(join(SAMPLES, d, 'expected.json')))
    .sort();
}

/** The capture files of a sample: everything but the README and expected.json. */
export function loadSample(name: string): Array<{ name: string; text: string }> {
  const dir = join(SAMPLES, name);
  return readdirSync(dir)
    .filter((f) => f !== 'README.md' && f !== 'expected.json' && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
}

const analyses = new Map<string, Analysis>();
function analysisOf(name: string): Analysis {
  let a = analyses.get(name);
  if (!a) { a = analyze(loadSample(name)); analyses.set(name, a); }
  return a;
}

function describeFindings(fs: readonly Finding[]): string {
  return fs.map((f) => `${f.rule} [${f.pids.join(', ')}] ${f.title}`).join('\n') || '(no findings)';
}

for (const name of cases()) {
  const expected = JSON.parse(readFileSync(join(SAMPLES, name, 'expected.json'), 'utf8')) as Expected;
  describe(`sample ${name}`, () => {
    for (const want of expected.findings) {
      it.skipIf(!registered.has(want.rule))(`finds ${want.rule}${want.pids.length ? ` about ${want.pids.join(', ')}, cause first` : ''}`, () => {
        const a = analysisOf(name);
        const same = a.findings.filter((f) => f.rule === want.rule);
        const match = same.find((f) => want.pids.every((p) => f.pids.includes(p)) && (want.pids.length === 0 || f.pids[0] === want.pids[0]));
        expect(match, `expected ${want.rule} [${want.pids.join(', ')}] in:\n${describeFindings(a.findings)}\nnot evaluated: ${JSON.stringify(a.notEvaluated.filter((n) => n.rule === want.rule))}`).toBeDefined();
      });
    }
    // A wrong diagnosis costs more than none: every finding of medium severity or above must be
    // one the reviewer confirmed for this sample (by rule).
    it('raises no alarm (medium or above) the reviewer did not confirm', () => {
      const a = analysisOf(name);
      const confirmed = new Set(expected.findings.map((f) => f.rule));
      const unconfirmed = a.findings.filter((f) => f.severity !== 'low' && f.severity !== 'info' && !confirmed.has(f.rule));
      expect(unconfirmed.map((f) => `${f.rule} [${f.pids.join(', ')}] ${f.severity}: ${f.title}`)).toEqual([]);
    });
    const quiet = (expected.quiet ?? []).filter((r) => registered.has(r));
    if (quiet.length > 0) {
      it(`stays quiet: ${quiet.join(', ')}`, () => {
        const a = analysisOf(name);
        const loud = a.findings.filter((f) => quiet.includes(f.rule));
        expect(loud.map((f) => `${f.rule} [${f.pids.join(', ')}] ${f.title}`)).toEqual([]);
      });
    }
  });
}

// Property (issue 3): adding unrelated healthy processes to a sample never removes or changes its
// findings. The added processes are real: sleeping, non-kernel rows of samples/baseline-quiet-host
// `ps aux` (a whole host with nothing blocked), given as one more input, with PIDs the sample
// does not use (a PID the sample has would be the same process, not an unrelated one).
describe('adding unrelated healthy processes', () => {
  const base = existsSync(join(SAMPLES, 'baseline-quiet-host', 'ps-aux.txt'))
    ? readFileSync(join(SAMPLES, 'baseline-quiet-host', 'ps-aux.txt'), 'utf8').split('\n') : [];
  const header = base[0] ?? '';
  const healthy = base.slice(1).filter((l) => /^\S+\s+\d+\s+\S+\s+\S+\s+\d+\s+\d+\s+\S+\s+S\S*\s/.test(l) && !/\s\[[^\]]+\]$/.test(l));
  const key = (f: Finding) => `${f.rule}|${f.severity}|${f.pids.join(',')}|${f.title}`;
  const withFindings = cases().filter((n) => n !== 'baseline-quiet-host' &&
    (JSON.parse(readFileSync(join(SAMPLES, n, 'expected.json'), 'utf8')) as Expected).findings.length > 0);

  for (const name of withFindings) {
    it.skipIf(healthy.length === 0)(`never changes the findings of ${name}`, () => {
      const a = analysisOf(name);
      const used = new Set<number>();
      for (const s of a.snapshots) {
        for (const p of s.processes) used.add(p.pid);
        for (const k of s.kernelTasks) used.add(k.pid);
      }
      const rows = healthy.filter((l) => !used.has(Number(l.split(/\s+/)[1])) && Number(l.split(/\s+/)[1]) > 2);
      const before = a.findings.map(key).sort();
      fc.assert(fc.property(fc.subarray(rows, { minLength: 1 }), (extra) => {
        const b = analyze([...loadSample(name), { name: 'ps-aux-other-processes.txt', text: `${header}\n${extra.join('\n')}\n` }]);
        expect(b.findings.map(key).sort()).toEqual(before);
      }), { numRuns: 3 });
    });
  }
});
