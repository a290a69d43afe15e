import { describe, expect, it } from 'vitest';
import { rule } from './memory-hog.ts';
import { moment, runRule, sampleFile, sampleInputs } from './test-helpers.ts';

// The kernel's OOM-kill line (mm/oom_kill.c format), as dmesg prints it.
const OOM = (pid: number, t: number) =>
  `[ ${t}.123456] Out of memory: Killed process ${pid} (java) total-vm:13926092kB, anon-rss:13107200kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:25800kB oom_score_adj:0`;

describe('memory-hog (P25)', () => {
  it('reports a process over half of RAM that grew between moments, HIGH', () => {
    const { findings } = runRule(rule, sampleInputs('memory-hog'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f).toMatchObject({ severity: 'high', pids: [3], rootCause: 'memory-pressure' });
    expect(f.title).toMatch(/^java \(3\) holds 12\.5 GiB RSS \(53% of RAM\), grew from 6\.0 GiB in 16s/);
    expect(f.evidence[0]).toMatchObject({ pid: 3, input: 'ps-aux-2moments.txt' });
    expect(f.evidence.some((e) => e.text.startsWith('MemTotal 23.5 GiB, available'))).toBe(true);
    expect(f.next).toContain('jcmd 3 GC.heap_info   # heap vs RSS');
  });

  it('stays quiet at a quarter of RAM with nothing to compare against', () => {
    const first = moment(sampleFile('memory-hog', 'ps-aux-2moments.txt'), 0);
    expect(runRule(rule, [{ name: 'ps-aux.txt', text: first }]).findings).toEqual([]);
  });

  it('is HIGH at ≥50% of RAM from one moment, CRITICAL once OOM kills repeat', () => {
    const second = moment(sampleFile('memory-hog', 'ps-aux-2moments.txt'), 1);
    expect(runRule(rule, [{ name: 'ps-aux.txt', text: second }]).findings.map((f) => f.severity)).toEqual(['high']);
    const dmesg = `${OOM(4242, 900)}\n${OOM(4311, 960)}\n`;
    const r = runRule(rule, [{ name: 'ps-aux.txt', text: second }, { name: 'dmesg.txt', text: dmesg }]);
    expect(r.findings.map((f) => f.severity)).toEqual(['critical']);
    expect(r.findings[0].evidence.some((e) => e.text.includes('Killed process 4311 (java)'))).toBe(true);
  });

  it('reports OOM kills even when no hog is left to see', () => {
    const r = runRule(rule, [...sampleInputs('baseline-quiet-host'), { name: 'dmesg.txt', text: `${OOM(4242, 900)}\n` }]);
    expect(r.findings.map((f) => f.severity)).toEqual(['high']);
    expect(r.findings[0].title).toContain('java (4242)');
  });

  it('stays quiet on healthy hosts', () => {
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
  });

  it('says what to capture without RSS or %MEM', () => {
    expect(runRule(rule, sampleInputs('ps-ef')).missing).toMatch(/ps aux --sort=-rss/);
  });
});
