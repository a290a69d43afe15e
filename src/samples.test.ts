// Every real sample (samples/<case>/): ingest it with its file names and again as unknown pastes
// (no names) and expect the same graph; compare the readable dump with the one a reviewer
// confirmed in expected.json. (Findings are checked in src/diagnose/samples.test.ts.)
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ingest } from './ingest/index.ts';
import { buildSnapshots } from './snapshot/index.ts';
import { dumpSnapshot } from './report/dump.ts';

const SAMPLES = path.resolve(__dirname, '..', 'samples');
const dirs = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((d) => statSync(path.join(SAMPLES, d)).isDirectory()).sort() : [];

export function loadSample(dir: string, named = true) {
  const d = path.join(SAMPLES, dir);
  return readdirSync(d).filter((f) => f !== 'README.md' && f !== 'expected.json').sort()
    .map((f) => ({ name: named ? f : '', text: readFileSync(path.join(d, f), 'utf8') }));
}

describe('real samples', () => {
  it('exist', () => { expect(dirs.length).toBeGreaterThan(0); });
  for (const dir of dirs) {
    describe(dir, () => {
      it('has a README line and expected.json', () => {
        expect(readFileSync(path.join(SAMPLES, dir, 'README.md'), 'utf8').trim().length).toBeGreaterThan(20);
        expect(existsSync(path.join(SAMPLES, dir, 'expected.json'))).toBe(true);
      });
      it('parses into processes, and the same graph as an unknown paste', () => {
        const named = ingest(loadSample(dir, true));
        const anon = ingest(loadSample(dir, false));
        expect(named.errors).toEqual([]);
        const a = buildSnapshots(named).map(dumpSnapshot);
        const b = buildSnapshots(anon).map(dumpSnapshot);
        expect(a.length).toBeGreaterThan(0);
        expect(b).toEqual(a);
      });
      it('matches the dump a reviewer confirmed', () => {
        const expected = JSON.parse(readFileSync(path.join(SAMPLES, dir, 'expected.json'), 'utf8')) as { dump?: string[] };
        expect(expected.dump, 'expected.json has no reviewed dump: run npm run samples:dump and review it').toBeDefined();
        const snaps = buildSnapshots(ingest(loadSample(dir, true)));
        expect(dumpSnapshot(snaps[snaps.length - 1])).toEqual(expected.dump);
      });
    });
  }
});
