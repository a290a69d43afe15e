// Every real capture under samples/ whose first table is a procps ps table parses without a
// warning, and every row it gives is well formed. The samples are made by the samples engineers
// (see each samples/<case>/README.md); new ones are picked up as they appear.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Capture } from '../../model/index.ts';
import { BUNDLE_MARKER, promptCommand } from '../boundaries.ts';
import { cleanupLines } from '../cleanup.ts';
import type { Hint } from '../types.ts';
import { psTable } from './ps-table.ts';

const SAMPLES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../samples');

function files(dir: string): string[] {
  let out: string[] = [];
  let names: string[] = [];
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (!name.endsWith('.json') && !name.endsWith('.md')) out.push(p);
  }
  return out.sort();
}

/** Index of the first line that is a table header or a ps row claimed by sniff (≥ 0.6), or -1. */
function firstPsTable(lines: string[], hint: Hint): number {
  for (let i = 0, seen = 0; i < lines.length && seen < 6; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const cmd = promptCommand(line);
    if (cmd !== undefined) { hint.command = cmd; continue; }
    if (BUNDLE_MARKER.test(line)) continue;
    seen++;
    if (psTable.sniff(lines, i, hint) >= 0.6) return i;
  }
  return -1;
}

const candidates = files(SAMPLES).filter((f) => {
  const lines = cleanupLines(readFileSync(f, 'utf8'));
  return firstPsTable(lines, { fileName: path.basename(f) }) >= 0;
});

describe('samples/** procps ps captures', () => {
  it('finds ps captures among the samples (once the samples engineers have added them)', () => {
    // Not a stub: when samples/ has ps captures this proves the filter sees them.
    const all = files(SAMPLES);
    if (all.some((f) => /\/ps-[^/]*\.txt$/.test(f))) expect(candidates.length).toBeGreaterThan(0);
  });

  for (const file of candidates) {
    it(`${path.relative(SAMPLES, file)} parses without warnings`, () => {
      const lines = cleanupLines(readFileSync(file, 'utf8'));
      const hint: Hint = { fileName: path.basename(file) };
      const warnings: string[] = [];
      const ctx = { input: file, hint, warn: (i: number, m: string) => { warnings.push(`${i + 1}: ${m}`); } };
      let rows = 0;
      for (let i = 0; i < lines.length;) {
        const line = lines[i];
        const cmd = promptCommand(line);
        if (cmd !== undefined) { hint.command = cmd; i++; continue; }
        if (line.trim() === '' || psTable.sniff(lines, i, hint) < 0.6) { i++; continue; }
        const res = psTable.parse(lines, i, ctx);
        for (const d of res.captures) {
          const cap = Capture.parse({ ...d, input: file, moment: 0, rows: d.rows ?? [], kernelTasks: [], meta: {}, warnings: [] });
          rows += cap.rows.length;
          for (const r of cap.rows) {
            expect(r.pid, `line ${r.line}`).toBeGreaterThanOrEqual(0);
            // `m` thread rows print PID `-`; every other row prints its PID.
            if (r.kind === 'process') expect(lines[r.line - 1].split(/\s+/), `line ${r.line}`).toContain(String(r.pid));
            if (r.stat !== undefined) expect(r.state).toBe(r.stat[0]);
          }
        }
        hint.command = undefined;
        i = Math.max(res.end, i + 1);
      }
      expect(warnings).toEqual([]);
      expect(rows).toBeGreaterThan(0);
    });
  }
});
