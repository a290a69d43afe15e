import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procStat, ttyName } from './proc-stat.ts';
import { rowsOf, runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');
const REAL = sample('proc-stat/proc-pid-stat.txt');
const realLine = (pid: number) => REAL.split('\n').find((l) => l.startsWith(`${pid} (`))!;

describe('proc-stat', () => {
  it('reads every line of `cat /proc/[0-9]*/stat` as one process row', () => {
    const run = runParser(procStat, REAL);
    expect(rowsOf(run)).toHaveLength(REAL.trim().split('\n').length);
    expect(run.captures[0].variant).toBe('cat');
    expect(run.warnings).toEqual([]);
  });

  it('cuts comm at the LAST `)`: `4 (a) (b c) R 1 2) S 1 ...` is comm `a) (b c) R 1 2` in state S', () => {
    const row = rowsOf(runParser(procStat, realLine(4)))[0];
    expect(row).toMatchObject({ pid: 4, comm: 'a) (b c) R 1 2', state: 'S', ppid: 1 });
  });

  it('reads a comm that holds a newline, split over two lines', () => {
    const line = realLine(4).replace('(a) (b c) R 1 2)', '(a\nb) S 9)');
    const run = runParser(procStat, `${line}\n${realLine(5)}\n`);
    expect(rowsOf(run).map((r) => [r.pid, r.comm, r.state])).toEqual([[4, 'a\nb) S 9', 'S'], [5, 'vfork_dparent', 'D']]);
  });

  it('reads fields by position: ppid, pgrp, session, tty, times, priority/nice, threads, start, vsize, rss, cpu', () => {
    // `28 (bash) S 26 28 28 34816 28 ...` — on pts/0 (tty_nr 34816 = major 136, minor 0)
    const row = rowsOf(runParser(procStat, realLine(28)))[0];
    const f = realLine(28).slice(realLine(28).lastIndexOf(')') + 2).split(' ');
    expect(row).toMatchObject({ pid: 28, ppid: 26, pgid: 28, sid: 28, tty: 'pts/0', tpgid: 28, nlwp: 1 });
    expect(row.startTicks).toBe(Number(f[19]));
    expect(row.rssKiB).toBe(Number(f[21]) * 4);
    expect(row.vszKiB).toBe(Math.round(Number(f[20]) / 1024));
    expect(row.psr).toBe(Number(f[36]));
    expect(row.cpuTimeSec).toBe((Number(f[11]) + Number(f[12])) / 100);
  });

  it('keeps negative priority and nice (SCHED_FIFO `-11`, nice -5), which jc drops', () => {
    const rows = rowsOf(runParser(procStat, REAL));
    expect(rows.find((r) => r.pid === 15)).toMatchObject({ pri: '-11', nice: 0 });
    expect(rows.find((r) => r.pid === 11)).toMatchObject({ pri: '15', nice: -5 });
  });

  it('reads `grep -H . /proc/*/stat` prefixes and task files as thread rows', () => {
    const text = `/proc/5/stat:${realLine(5)}\n/proc/2/task/8/stat:${realLine(2).replace(/^2 /, '8 ')}\n`;
    const rows = rowsOf(runParser(procStat, text));
    expect(rows.map((r) => [r.kind, r.pid, r.tid, r.state])).toEqual([['process', 5, undefined, 'D'], ['thread', 2, 8, 'S']]);
  });

  it('makes thread rows of `cat /proc/2/task/*/stat` from the echoed command', () => {
    const text = `$ cat /proc/2/task/*/stat\n${realLine(2)}\n${realLine(2).replace(/^2 /, '8 ')}\n`;
    const rows = rowsOf(runParser(procStat, text));
    expect(rows.map((r) => [r.kind, r.pid, r.tid])).toEqual([['thread', 2, 2], ['thread', 2, 8]]);
  });

  it('keeps an odd state letter raw in stat with state null (`K`, historical wakekill)', () => {
    const rows = rowsOf(runParser(procStat, realLine(6).replace(/\) S /, ') K ')));
    expect(rows[0]).toMatchObject({ stat: 'K', state: null });
  });

  it('warns about a truncated line but keeps what it holds', () => {
    const run = runParser(procStat, '5 (vfork_dparent) D 1 0 0 0 -1 4194624 117 0 0 0\n');
    expect(rowsOf(run)[0]).toMatchObject({ pid: 5, state: 'D', ppid: 1 });
    expect(run.warnings[0].message).toMatch(/truncated/);
  });

  it('does not claim a ps row that starts with a PID and a parenthesised comm after spaces', () => {
    expect(procStat.sniff(['   1234 (sd-pam) S'], 0, { fileName: '' })).toBe(0);
  });

  it('names ttys like ps: `?`, `pts/N`, `ttyN`, `ttySN`, else major,minor', () => {
    expect([ttyName(0), ttyName(34816), ttyName(34817 + 256 * 0), ttyName(1025), ttyName(1024 + 64), ttyName(5 << 8 | 1)])
      .toEqual(['?', 'pts/0', 'pts/1', 'tty1', 'ttyS0', '5,1']);
  });
});
