// The driver validates each capture with zod's compiled boolean validate() and keeps the parser's
// objects (no copy). That is only the same as zod's parse if no parser adds a key the schemas do not
// know (parse would strip it): these tests hold every real sample to that, and check that a row zod
// rejects is still reported with its line.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Capture } from '../model/index.ts';
import { ingest } from './index.ts';

const SAMPLES = path.resolve(__dirname, '..', '..', 'samples');
const dirs = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((d) => statSync(path.join(SAMPLES, d)).isDirectory()).sort() : [];

describe('zod validation without a copy', () => {
  it('gives every real sample exactly what Capture.parse would have given', () => {
    expect(dirs.length).toBeGreaterThan(0);
    let rows = 0;
    for (const dir of dirs) {
      const inputs = readdirSync(path.join(SAMPLES, dir)).filter((f) => f !== 'README.md' && f !== 'expected.json')
        .map((f) => ({ name: f, text: readFileSync(path.join(SAMPLES, dir, f), 'utf8') }));
      for (const cap of ingest(inputs).captures) {
        // toStrictEqual: a key zod would strip, or one it would add, fails here.
        expect(Capture.parse(cap), `${dir}: ${cap.format} lines ${cap.firstLine}–${cap.lastLine}`).toStrictEqual(cap);
        rows += cap.rows.length;
      }
    }
    expect(rows).toBeGreaterThan(1000);
  });

  it('drops a /proc status row whose PPid is beyond a safe integer, naming its line', () => {
    // A corrupted dump: `PPid:	99999999999999999999` reads as 1e20, which no PID can be.
    const text = 'Name:\tbash\nState:\tS (sleeping)\nTgid:\t16593\nPid:\t16593\nPPid:\t99999999999999999999\n';
    const r = ingest([{ name: 'status.txt', text }]);
    expect(r.captures.flatMap((c) => c.rows)).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ line: 1, message: expect.stringMatching(/^proc-status row not kept: ppid /) })]);
  });
});
