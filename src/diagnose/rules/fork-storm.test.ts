import { describe, expect, it } from 'vitest';
import { rule } from './fork-storm.ts';
import { runRule, sampleFile, sampleInputs } from './test-helpers.ts';

describe('fork-storm (P15)', () => {
  it('finds the respawning parent with its young identical children and the PID counter step', () => {
    const { findings } = runRule(rule, sampleInputs('fork-storm'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('high');
    expect(f.pids[0]).toBe(3);
    // ~200 `sleep 2` children younger than 5 s; the `[sleep]` row caught between fork and exec counts too.
    expect(f.pids.length).toBeGreaterThan(51);
    expect(f.pids).toContain(855);
    expect(f.title).toContain('bash (3)');
    expect(f.title).toContain('`sleep 2`');
    const step = f.evidence.find((e) => e.text.includes('495 → 1085'));
    expect(step?.input).toBe('loadavg-2moments.txt');
    expect(f.next).toContain('kill -STOP 3   # pause the respawning parent while you look; kill -CONT 3 to resume');
  });

  it('calls many young children with different commands a parallel runner, LOW', () => {
    // The same real rows, each child's command made unique (as a build's compiler jobs would be).
    const text = sampleFile('fork-storm', 'ps-o-wchan.txt').replace(/^(\s+(\d+)\s+3\s.*)sleep 2$/gm, '$1sleep 2.$2');
    const { findings } = runRule(rule, [{ name: 'ps-o-wchan.txt', text }]);
    expect(findings.map((f) => f.severity)).toEqual(['low']);
    expect(findings[0].title).toMatch(/parallel job runner/);
  });

  it('fires on the fork rate alone between two timed collector bundles', () => {
    // The real bundle, and the same bundle as if taken 10 s later with 5000 more PIDs handed out.
    const a = sampleFile('collect-bundle-d-state', 'bundle.txt');
    const b = a.replace('time=2026-11-26T19:02:20+00:00', 'time=2026-11-26T19:02:30+00:00')
      .replace('13.17 15.27 11.74 16/364 160', '13.17 15.27 11.74 16/364 5160')
      .replace(/^processes 83890$/m, 'processes 88890');
    expect(b).not.toBe(a);
    const { findings } = runRule(rule, [{ name: 'bundle-1.txt', text: a }, { name: 'bundle-2.txt', text: b }]);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe('high');
    expect(findings[0].title).toMatch(/500 PIDs\/s/);
    expect(findings[0].evidence.some((e) => e.text.includes('/proc/stat processes (forks since boot) 83890 → 88890 (+5000; 500 forks/s over 10s)'))).toBe(true);
    // One bundle alone: no step, no storm.
    expect(runRule(rule, [{ name: 'bundle-1.txt', text: a }]).findings).toEqual([]);
  });

  it('stays quiet on a busy host and on one-per-second children', () => {
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('d-parent-zombies')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('orphans-under-init')).findings).toEqual([]);
  });

  it('says what to capture without ages, parents or two loadavg readings', () => {
    const r = runRule(rule, sampleInputs('ps-aux'));
    expect(r.missing).toMatch(/cat \/proc\/loadavg` twice/);
  });
});
