import { describe, expect, it } from 'vitest';
import { rule } from './pid-exhaustion.ts';
import { editLine, runRule, sampleInputs, withFile } from './test-helpers.ts';

const bundle = () => sampleInputs('collect-bundle-d-state');
const withPidMax = (n: number) => {
  const b = bundle();
  return withFile(b, 'bundle.txt', editLine(b[0].text, (l) => l.startsWith('pid_max='), () => `pid_max=${n}`));
};

describe('pid-exhaustion (P16)', () => {
  it('stays quiet far below pid_max and threads-max (collector bundle)', () => {
    const r = runRule(rule, bundle());
    expect(r.missing).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  it('is HIGH at ≥80% of the lowest limit and CRITICAL at ≥95%', () => {
    // 364 threads in /proc/loadavg (`13.17 15.27 11.74 16/364 160`).
    const high = runRule(rule, withPidMax(400)).findings;
    expect(high.map((f) => f.severity)).toEqual(['high']);
    expect(high[0].title).toContain('364 of 400');
    expect(high[0].evidence[0]).toMatchObject({ input: 'bundle.txt' });
    expect(runRule(rule, withPidMax(370)).findings.map((f) => f.severity)).toEqual(['critical']);
  });

  it('in a PID namespace compares its own pid_max with its own tasks, not the host-wide loadavg total', () => {
    // samples/pid-exhaustion: pid_max=400 in the namespace, loadavg `…/493` host-wide, 330 sleeps under bash (2).
    const { findings } = runRule(rule, sampleInputs('pid-exhaustion'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('high');
    expect(f.pids[0]).toBe(2);
    expect(f.title).toMatch(/^PID space 83% used: 333 of 400 tasks \(kernel\.pid_max\)/);
    expect(f.evidence[0].text).toMatch(/threads in this PID namespace, not counting the capture's own 7/);
    expect(f.evidence.some((e) => /493/.test(e.text))).toBe(false);
  });

  it('says what to capture when the limits are missing and the count is ordinary', () => {
    const r = runRule(rule, sampleInputs('baseline-quiet-host'));
    expect(r.missing).toMatch(/pid_max/);
  });

  it('still warns (MEDIUM) near the 32768 default when the limits were not captured', () => {
    const inputs = sampleInputs('baseline-quiet-host');
    const text = inputs.find((i) => i.name === 'loadavg.txt')!.text.replace('/365 ', '/30000 ');
    const r = runRule(rule, withFile(inputs, 'loadavg.txt', text));
    expect(r.findings.map((f) => f.severity)).toEqual(['medium']);
    expect(r.findings[0].summary).toMatch(/not in the capture/);
  });
});
