import { describe, expect, it } from 'vitest';
import { busyboxTop } from './busybox-top.ts';
import { top } from './top.ts';
import { fixture, neverThrows, rowsOf, runParser } from './__fixtures__/run-parser.ts';
import { ingest } from '../index.ts';

const F = (name: string) => fixture('busybox-top', name);
const proc = (rows: ReturnType<typeof rowsOf>, pid: number) => rows.find((r) => r.pid === pid);

describe('busybox top -b', () => {
  it('reads Mem, CPU and Load average lines into meta (formats.md §2 shapes)', () => {
    const run = runParser(busyboxTop, F('top-b-n1.txt'));
    expect(run.captures).toHaveLength(1);
    const meta = run.captures[0].meta!;
    // `Mem: 520288K used, 24163796K free, 8872K shrd, 4192K buff, 298728K cached`
    expect(meta.memKiB).toEqual({ used: 520288, free: 24163796, buffCache: 4192 + 298728, total: 520288 + 24163796 });
    // `CPU:  50% usr   0% sys   0% nic   0% idle  50% io   0% irq   0% sirq`, in top's names
    expect(meta.cpu).toEqual({ us: 50, sy: 0, ni: 0, id: 0, wa: 50, hi: 0, si: 0 });
    // `Load average: 3.89 1.46 0.60 2/133 34`
    expect(meta).toMatchObject({ load: [3.89, 1.46, 0.6], runnable: 2, totalTasks: 133, lastPid: 34 });
    expect(run.warnings).toEqual([]);
  });

  it('reads the table `PID PPID USER STAT VSZ %VSZ %CPU COMMAND` into process rows', () => {
    const run = runParser(busyboxTop, F('top-b-n1.txt'));
    const rows = rowsOf(run);
    expect(rows).toHaveLength(23);
    expect(proc(rows, 5)).toMatchObject({ kind: 'process', ppid: 1, state: 'D', vszKiB: 2476, args: '/tmp/vfork_dparent 2 /tmp/psfix/vf.pids 3600' });
    expect(proc(rows, 17)).toMatchObject({ pcpu: 50, args: './fix spin' });
    expect(proc(rows, 18)).toMatchObject({ vszKiB: 20 * 1024 * 1024, extra: { '%VSZ': '80%' } });
    expect(proc(rows, 9)).toMatchObject({ stat: 'S<', state: 'S' });
    expect(run.captures[0]).toMatchObject({ format: 'busybox-top', variant: 'batch', firstLine: 1, lastLine: 27 });
  });

  it('§6.9 busybox top {comm} args prefix and `[comm]` zombies', () => {
    const rows = rowsOf(runParser(busyboxTop, F('top-b-n1.txt')));
    expect(proc(rows, 3)).toMatchObject({ comm: 'a) (b c) R 1 2', args: './fix weird' });
    expect(proc(rows, 7)).toMatchObject({ comm: 'fix', args: '[fix]', state: 'Z', ppid: 4 });
  });

  it('§6.10 keeps `averyver` and a numeric uid as printed', () => {
    const rows = rowsOf(runParser(busyboxTop, F('top-b-n1.txt')));
    expect(proc(rows, 26)?.user).toBe('averyver');
    expect(proc(rows, 14)).toMatchObject({ user: '12345', uid: 12345 });
  });

  it('reads the SMP build\'s CPU column and one-decimal percentages', () => {
    const run = runParser(busyboxTop, F('smp-decimals-top-b-n1.txt'));
    expect(run.captures[0].header).toEqual(['PID', 'PPID', 'USER', 'STAT', 'VSZ', '%VSZ', 'CPU', '%CPU', 'COMMAND']);
    expect(run.captures[0].meta?.cpu).toMatchObject({ us: 95, sy: 5 });
    expect(proc(rowsOf(run), 6)).toMatchObject({ psr: 0, pcpu: 40, args: './fix spin' });
    expect(proc(rowsOf(run), 2)?.psr).toBe(1);
  });

  it('§6.1 makes one capture per iteration of top -b -n2 (no blank line between them)', () => {
    const run = runParser(busyboxTop, F('top-b-n2-d1.txt'));
    expect(run.captures.map((c) => [c.firstLine, c.lastLine, c.newMoment ?? false])).toEqual([[1, 15, false], [16, 30, true]]);
    expect(run.captures[1].meta?.load).toEqual([10.73, 7.07, 3.43]);
    expect(proc(run.captures[1].rows ?? [], 6)?.pcpu).toBe(33);
  });

  it('§6.7 reads top -H rows as threads keyed by TID when the echoed command says -H', () => {
    const plain = rowsOf(runParser(busyboxTop, F('top-b-n1-H.txt')));
    expect(plain.every((r) => r.kind === 'process')).toBe(true);
    const run = runParser(busyboxTop, F('top-b-n1-H.txt'), { fileName: '', command: 'busybox top -b -n1 -H' });
    const hot = rowsOf(run).find((r) => r.tid === 20);
    expect(hot).toMatchObject({ kind: 'thread', pid: 20, tid: 20, comm: 'hot loop', state: 'R' });
    expect(run.captures[0].variant).toBe('threads');
  });

  it('is not mistaken for procps top, and procps top is not mistaken for it', () => {
    const lines = F('top-b-n1.txt').split('\n');
    for (let i = 0; i < 4; i++) expect(top.sniff(lines, i, { fileName: '' })).toBe(0);
    expect(busyboxTop.sniff(['top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07'], 0, { fileName: '' })).toBe(0);
    expect(busyboxTop.sniff(['MiB Mem :  24152.1 total,  22826.6 free,    466.5 used,   1104.2 buff/cache'], 0, { fileName: '' })).toBe(0);
  });

  it('warns about a cut row and keeps the others', () => {
    const lines = F('top-b-n1.txt').split('\n');
    lines[5] = '   18     1 root';
    const run = runParser(busyboxTop, lines.join('\n'));
    expect(rowsOf(run)).toHaveLength(22);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatchObject({ line: 6 });
  });
});

describe('busybox-top through the ingest driver', () => {
  it.each(['top-b-n1.txt', 'top-b-n2-d1.txt', 'smp-decimals-top-b-n1.txt'])('%s is read as busybox-top by sniffing alone, and the same with its file name', (name) => {
    const text = fixture('busybox-top', name);
    const pasted = ingest([{ name: '', text }]);
    const named = ingest([{ name, text }]);
    expect(pasted.errors).toEqual([]);
    expect(pasted.inputs[0].sections.map((x) => x.format)).toEqual(pasted.inputs[0].sections.map(() => 'busybox-top'));
    expect(pasted.inputs[0].sections.length).toBeGreaterThan(0);
    expect(named.captures.map((c) => c.rows)).toEqual(pasted.captures.map((c) => c.rows));
  });
});

describe('busybox top moments', () => {
  it('§6.1 gives each iteration of busybox top -b -n2 its own moment in the ingest result', () => {
    const r = ingest([{ name: '', text: fixture('busybox-top', 'top-b-n2-d1.txt') }]);
    expect(r.captures.map((c) => c.moment)).toEqual([0, 1]);
  });
});

describe('busybox-top on damaged input', () => {
  it('never throws and always returns valid captures on shuffled, cut and spliced real lines', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'busybox-top');
    const texts = readdirSync(dir).map((f) => fixture('busybox-top', f));
    await neverThrows(busyboxTop, texts);
  });
});
