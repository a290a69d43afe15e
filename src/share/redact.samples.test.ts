// Redaction applies to the raw inputs so the shared snapshot re-parses to the same graph: every
// real sample, analysed before and after redaction with every category on.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../analyze.ts';
import type { Analysis } from '../model/index.ts';
import { redactInputs } from './redact.ts';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples');
const cases = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((d) => existsSync(path.join(SAMPLES, d, 'expected.json'))).sort() : [];

function graph(a: Analysis): string[] {
  const out: string[] = [];
  for (const s of a.snapshots) {
    out.push(`snapshot ${s.index} ${JSON.stringify(s.counts)}`);
    for (const p of s.processes) {
      out.push(`${p.pid} ${p.ppid} ${p.state} ${p.stat} ${p.wchan} threads=${p.threads.map((t) => `${t.tid}${t.state}`).join(',')} children=${p.children.join(',')}`);
    }
  }
  for (const f of a.findings) out.push(`finding ${f.rule} ${f.pids.join(',')}`);
  return out;
}

describe('redacted samples re-parse to the same graph', () => {
  it('has samples to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });
  for (const c of cases) {
    it(c, () => {
      const dir = path.join(SAMPLES, c);
      const inputs = readdirSync(dir).filter((n) => n !== 'README.md' && n !== 'expected.json').sort()
        .map((n) => ({ name: n, text: readFileSync(path.join(dir, n), 'utf8') }));
      const redacted = redactInputs(inputs);
      expect(graph(analyze(redacted.inputs))).toEqual(graph(analyze(inputs)));
    });
  }
});
