import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadavg, loadTriple, uptimeSeconds } from './loadavg.ts';
import { runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');
const metaOf = (text: string) => runParser(loadavg, text).captures.map((c) => c.meta);

describe('loadavg', () => {
  it('reads /proc/loadavg: loads, runnable/total threads, last PID', () => {
    expect(metaOf('1.95 0.75 0.28 1/125 7768\n')).toEqual([{ load: [1.95, 0.75, 0.28], runnable: 1, totalTasks: 125, lastPid: 7768 }]);
  });

  it('reads the real capture', () => {
    const text = sample('loadavg/loadavg.txt');
    const [a, b, c, rt, last] = text.trim().split(/\s+/);
    expect(metaOf(text)).toEqual([{ load: [Number(a), Number(b), Number(c)], runnable: Number(rt.split('/')[0]), totalTasks: Number(rt.split('/')[1]), lastPid: Number(last) }]);
  });

  it('reads each `$ cat /proc/loadavg` of a two-moment capture as its own capture', () => {
    const run = runParser(loadavg, sample('d-cluster-fuse/loadavg-2moments.txt'));
    expect(run.captures.map((c) => c.meta.lastPid)).toHaveLength(2);
    expect(run.unclaimed).toEqual([]);
  });

  it('reads `uptime` output into clock, uptime, users and load', () => {
    expect(metaOf(' 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07\n'))
      .toEqual([{ clock: '17:51:47', uptimeSec: 180, users: 0, load: [0.78, 0.22, 0.07] }]);
    expect(metaOf(' 10:02:11 up 12 days,  3:04,  2 users,  load average: 0,78, 0,22, 0,07\n')[0])
      .toMatchObject({ uptimeSec: 12 * 86400 + 3 * 3600 + 4 * 60, users: 2, load: [0.78, 0.22, 0.07] });
    // busybox prints no user count
    expect(metaOf(' 17:51:47 up 3 min,  load average: 0.00, 0.00, 0.00\n')[0]).toMatchObject({ uptimeSec: 180, load: [0, 0, 0] });
    expect(metaOf(' 17:51:47 up 3 min,  load average: 0.00, 0.00, 0.00\n')[0].users).toBeUndefined();
  });

  it('parses uptime spans and load triples in their printed forms', () => {
    expect(['3 min', '1:23', '12 days,  3:04', '5 days, 10 min', '1 day', '45 sec'].map(uptimeSeconds))
      .toEqual([180, 4980, 1047840, 432600, 86400, 45]);
    expect(uptimeSeconds('a while')).toBeUndefined();
    expect(loadTriple('1.20 1.31 1.40')).toEqual([1.2, 1.31, 1.4]);
  });

  it('leaves top\'s `top - 17:51:47 up …` line to the top parser', () => {
    expect(loadavg.sniff(['top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07'], 0, { fileName: '' })).toBe(0);
  });
});
