import { describe, expect, it } from 'vitest';
import type { Capture, Row } from '../model/index.ts';
import { PidTable } from './pid-table.ts';
import { buildSnapshot } from './index.ts';

const v = (pid: number) => ({ pid, name: `p${pid}` });

describe('PID table', () => {
  it('finds PIDs in the flat range, beyond pid_max and odd ones alike, in insertion order', () => {
    const t = new PidTable<{ pid: number; name: string }>();
    for (const pid of [4194303, 1, 4194304, 2 ** 40, 7, 0]) t.add(pid, v(pid));
    expect(t.get(1)?.name).toBe('p1');
    expect(t.get(4194303)?.name).toBe('p4194303');
    expect(t.get(4194304)?.name).toBe('p4194304');
    expect(t.get(2 ** 40)?.name).toBe('p1099511627776');
    expect(t.get(0)?.name).toBe('p0');
    expect(t.get(2)).toBeUndefined();
    expect(t.get(-1)).toBeUndefined();
    expect(t.get(1.5)).toBeUndefined();
    expect(t.has(5000000)).toBe(false);
    expect(t.values().map((x) => x.pid)).toEqual([4194303, 1, 4194304, 2 ** 40, 7, 0]);
  });

  it('forgets deleted PIDs and keeps the others findable after values() closes the gaps', () => {
    const t = new PidTable<{ pid: number; name: string }>();
    for (const pid of [10, 20, 2 ** 33, 30]) t.add(pid, v(pid));
    t.delete(20);
    t.delete(2 ** 33);
    expect(t.get(20)).toBeUndefined();
    expect(t.values().map((x) => x.pid)).toEqual([10, 30]);
    expect(t.get(30)?.name).toBe('p30');
    expect(t.get(10)?.name).toBe('p10');
    expect(t.get(2 ** 33)).toBeUndefined();
  });
});

describe('snapshot with PIDs beyond pid_max (untrusted input)', () => {
  it('still links parent and child', () => {
    const rows: Row[] = [
      { line: 2, kind: 'process', pid: 99999999, ppid: 0, comm: 'init' },
      { line: 3, kind: 'process', pid: 5, ppid: 99999999, comm: 'sh' },
    ];
    const cap: Capture = { input: 'ps.txt', format: 'ps', variant: '-ef', firstLine: 1, lastLine: 3, moment: 0, fields: [], rows, kernelTasks: [], meta: {}, warnings: [] };
    const s = buildSnapshot([cap]);
    expect(s.roots).toEqual([99999999]);
    expect(s.processes.map((p) => [p.pid, p.depth, p.children])).toEqual([[5, 1, []], [99999999, 0, [5]]]);
  });
});
