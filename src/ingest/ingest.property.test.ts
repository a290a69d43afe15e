// Property: no input makes ingest (or the snapshot after it) throw — random bytes, and truncated,
// shuffled or spliced lines of the real samples.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ingest } from './index.ts';
import { buildSnapshots } from '../snapshot/index.ts';

const SAMPLES = path.resolve(__dirname, '..', '..', 'samples');

function sampleTexts(): string[] {
  if (!existsSync(SAMPLES)) return [];
  const out: string[] = [];
  for (const dir of readdirSync(SAMPLES)) {
    const d = path.join(SAMPLES, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) {
      if (f === 'README.md' || f === 'expected.json') continue;
      const p = path.join(d, f);
      if (statSync(p).size < 300_000) out.push(readFileSync(p, 'utf8'));
    }
  }
  return out;
}

const texts = sampleTexts();
const allLines = texts.flatMap((t) => t.split('\n'));

function run(text: string): void {
  const r = ingest([{ name: '', text }]);
  buildSnapshots(r);
  for (const w of r.warnings) expect(w.line).toBeGreaterThan(0);
}

describe('ingest never throws', () => {
  it('on random bytes and random unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (s) => { run(s); }), { numRuns: 300 });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => { run(new TextDecoder().decode(b)); }), { numRuns: 200 });
  });

  it('on real samples truncated at any point', () => {
    expect(texts.length).toBeGreaterThan(0);
    fc.assert(fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, frac) => {
      const t = texts[i];
      run(t.slice(0, Math.floor(t.length * frac)));
    }), { numRuns: 300 });
  });

  it('on shuffled lines of a real sample', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: texts.length - 1 }).chain((i) => fc.shuffledSubarray(texts[i].split('\n'))), (lines) => {
      run(lines.join('\n'));
    }), { numRuns: 300 });
  });

  it('on lines spliced from different real samples', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: allLines.length - 1 }), { maxLength: 200 }), (idx) => {
      run(idx.map((k) => allLines[k]).join('\n'));
    }), { numRuns: 300 });
  });

  it('on real lines cut mid-line and glued to others', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: allLines.length - 1 }), fc.nat(200)), { maxLength: 100 }), (parts) => {
      run(parts.map(([k, cut]) => allLines[k].slice(0, cut)).join(parts.length % 2 ? '\n' : ''));
    }), { numRuns: 200 });
  });
});
