import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procStatGlobal } from './proc-stat-global.ts';
import { runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');
const value = (text: string, key: string) => Number(new RegExp(`^${key} (\\d+)`, 'm').exec(text)![1]);

describe('proc-stat-global', () => {
  it('reads the real /proc/stat: CPUs, procs_running/blocked, forks, btime, ctxt', () => {
    const text = sample('proc-stat-global/proc-stat.txt');
    const run = runParser(procStatGlobal, text);
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].meta).toEqual({
      nCpu: text.match(/^cpu\d+ /gm)!.length,
      procsRunning: value(text, 'procs_running'),
      procsBlocked: value(text, 'procs_blocked'),
      forks: value(text, 'processes'),
      btime: value(text, 'btime'),
      notes: { 'stat.cpu': /^cpu {2}(.*)$/m.exec(text)![1].trim(), 'stat.ctxt': String(value(text, 'ctxt')) },
    });
    expect(run.warnings).toEqual([]);
  });

  it('reads a grep of two lines (`grep procs_ /proc/stat`) but not one lone `btime` line', () => {
    expect(runParser(procStatGlobal, 'procs_running 3\nprocs_blocked 0\n').captures[0].meta).toEqual({ procsRunning: 3, procsBlocked: 0 });
    expect(procStatGlobal.sniff(['btime 1795717714'], 0, { fileName: '' })).toBe(0);
  });

  it('warns about a foreign line inside the bundle stat section and keeps reading', () => {
    const run = runParser(procStatGlobal, '===== procscope stat =====\ncpu  1 2 3 4 5 6 7 8 9 10\ncat: /proc/stat: oops\nprocs_blocked 2\n');
    expect(run.captures[0].meta.procsBlocked).toBe(2);
    expect(run.warnings.map((w) => w.line)).toEqual([3]);
  });
});
