// Untrusted input: whatever follows a real ps header, the parser never throws, every row it
// returns is a valid Row, and it always moves forward. Lines are real fixture rows, cut, glued,
// shuffled and sprinkled with random text by fast-check.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Row } from '../../model/index.ts';
import { cleanupLines } from '../cleanup.ts';
import { psTable } from './ps-table.ts';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'ps');
const tables = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'))
  .map((f) => cleanupLines(readFileSync(path.join(FIXTURES, f), 'utf8')))
  .filter((lines) => psTable.sniff(lines, 0, { fileName: '' }) > 0.5);
const realRows = tables.flatMap((t) => t.slice(1));

const mangledLine = fc.oneof(
  fc.constantFrom(...realRows),
  fc.tuple(fc.constantFrom(...realRows), fc.nat(), fc.nat()).map(([l, a, b]) => l.slice(Math.min(a, b) % (l.length + 1), Math.max(a, b) % (l.length + 1))),
  fc.tuple(fc.constantFrom(...realRows), fc.constantFrom(...realRows)).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom(...realRows), fc.string()).map(([l, s]) => l.replace(/\S+/, s)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '   ', '-', '[root@n1 ~]# ps aux', 'Signal 11 (SEGV) caught by ps (4.0.2).', '===== procscope ps ====='),
);

describe('robustness', () => {
  it('never throws, returns valid rows and moves forward on mangled tables', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: tables.length - 1 }), fc.array(mangledLine, { maxLength: 30 }), fc.option(fc.constantFrom('ps aux', 'ps -eLf', 'ps -eo pid,comm --forest', 'ps auxm')),
      (t, body, command) => {
        const lines = [tables[t][0], ...body];
        const hint = { fileName: '', command: command ?? undefined };
        const warnings: number[] = [];
        const res = psTable.parse(lines, 0, { input: 'f', hint, warn: (i) => { warnings.push(i); } });
        expect(res.end).toBeGreaterThan(0);
        expect(res.end).toBeLessThanOrEqual(lines.length);
        for (const w of warnings) expect(w).toBeLessThan(res.end);
        for (const d of res.captures) for (const r of d.rows ?? []) expect(Row.safeParse(r).success).toBe(true);
        for (let i = 0; i < lines.length; i++) psTable.sniff(lines, i, hint);
      },
    ), { numRuns: 400 });
  });

  it('stays linear on a command hard-wrapped over 50 000 lines (a quadratic rejoin would time out)', () => {
    const aux = cleanupLines(readFileSync(path.join(FIXTURES, 'ps-aux-COLUMNS80.txt'), 'utf8'));
    const lines = [aux[0], aux[1], ...Array.from({ length: 50_000 }, () => 'x'.repeat(aux[1].length))];
    const res = psTable.parse(lines, 0, { input: 'f', hint: { fileName: '' }, warn: () => {} });
    expect(res.end).toBe(lines.length);
    expect(res.captures[0].rows?.[0].args?.length).toBe('/bin/bash ./i'.length + 50_000 * aux[1].length);
  });
});
