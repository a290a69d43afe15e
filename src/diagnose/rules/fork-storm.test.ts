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
