// The driver validates each capture with zod's compiled boolean validate() and keeps the parser's
// objects (no copy). That is only the same as zod's parse if no parser adds a key the schemas do not
// know (parse would strip it): these tests hold every real sample to that, and check that a row zod
// rejects is still reported with its line.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Capture, type Row } from '../model/index.ts';
import { ingest } from './index.ts';
import { captureIsValid } from './validate.ts';

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
        expect(captureIsValid(cap, 'interpreted')).toBe(true);
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

describe('captureIsValid answers as Capture.safeParse', () => {
  // A real `ps aux` row (samples/ps-aux) and mutations of it that zod must refuse or accept.
  const base: Row = { line: 2, kind: 'process', pid: 1, user: 'root', pcpu: 0.8, pmem: 0, vszKiB: 51468, rssKiB: 19956, tty: '?', stat: 'S<Ll', state: 'S', startRaw: '18:28', cpuTimeSec: 6, args: '/process_api --firecracker-init' };
  const mutations: [string, (r: Record<string, unknown>) => void][] = [
    ['unchanged', () => {}],
    ['PPID beyond a safe integer', (r) => { r.ppid = 1e20; }],
    ['negative PID', (r) => { r.pid = -1; }],
    ['no PID', (r) => { delete r.pid; }],
    ['PID undefined', (r) => { r.pid = undefined; }],
    ['no line', (r) => { delete r.line; }],
    ['kind not a kind', (r) => { r.kind = 'task'; }],
    ['state not a state letter', (r) => { r.state = 'Q'; }],
    ['state null (unknown)', (r) => { r.state = null; }],
    ['wchan null (running)', (r) => { r.wchan = null; }],
    ['STAT a number', (r) => { r.stat = 5; }],
    ['%CPU NaN', (r) => { r.pcpu = Number.NaN; }],
    ['%CPU Infinity', (r) => { r.pcpu = Number.POSITIVE_INFINITY; }],
    ['NLWP 1.5', (r) => { r.nlwp = 1.5; }],
    ['an optional field set to undefined', (r) => { r.depth = undefined; }],
    ['NSpid with a fraction', (r) => { r.nspid = [7487, 1.5]; }],
    ['extra with a number', (r) => { r.extra = { C: 0 }; }],
    ['extra of strings', (r) => { r.extra = { C: '0' }; }],
    ['stack of strings', (r) => { r.stack = ['hrtimer_nanosleep+0x74/0xf0']; }],
    ['a key no schema has', (r) => { r.colour = 'red'; }],
  ];
  for (const [what, mutate] of mutations) {
    it(`${what}: both ways agree with safeParse`, () => {
      const row = { ...base } as Record<string, unknown>;
      mutate(row);
      const cap = { input: 'ps.txt', format: 'ps', variant: 'aux', firstLine: 1, lastLine: 3, moment: 0, fields: [], rows: [base, row], kernelTasks: [], meta: {}, warnings: [] } as unknown as Capture;
      const want = Capture.safeParse(cap).success;
      expect(captureIsValid(cap, 'compiled')).toBe(want);
      expect(captureIsValid(cap, 'interpreted')).toBe(want);
    });
  }
  it('refuses a row that is not an object, both ways', () => {
    const cap = { input: 'x', format: 'ps', variant: '', firstLine: 1, lastLine: 1, moment: 0, fields: [], rows: [null], kernelTasks: [], meta: {}, warnings: [] } as unknown as Capture;
    expect(Capture.safeParse(cap).success).toBe(false);
    expect(captureIsValid(cap, 'compiled')).toBe(false);
    expect(captureIsValid(cap, 'interpreted')).toBe(false);
  });
});
