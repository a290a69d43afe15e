// P13 on samples/orphans-under-init: twelve double-forked `python3 /opt/app/worker.py` adopted by
// the namespace's PID 1 over 76 s. Pitfall: PPID 1 is normal on a host.
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('orphan-accumulation', () => {
  it('finds the leaked helpers under PID 1, oldest first, and the daemon that starts them', () => {
    const [f] = findingsOf(analyzeSample('orphans-under-init'), 'orphan-accumulation');
    expect(f.severity).toBe('medium');
    expect(f.pids).toEqual([9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]);
    expect(f.title).toBe('12 orphaned `python3 /opt/app/worker.py` adopted by case6.sh (1) over 1m 16s — a helper leak');
    expect(f.evidence.some((e) => e.pid === 6 && /likely starter/.test(e.text))).toBe(true);
    expect(f.evidence.some((e) => /MiB RSS/.test(e.text))).toBe(true);
    expect(f.next[0]).toContain("grep -F 'python3 /opt/app/worker.py'");
  });

  it('stays quiet about PPID 1 on a host, where every service has it', () => {
    const a = analyzeSample('baseline-quiet-host');
    expect(a.snapshots[0].processes.filter((p) => p.ppid === 1).length).toBeGreaterThan(10);
    expect(findingsOf(a, 'orphan-accumulation')).toEqual([]);
  });

  it('stays quiet on workers started together (a pool, not a leak)', () => {
    // samples/ps-aux-host-thousands: thousands of `sleep` children of four bash parents.
    expect(findingsOf(analyzeSample('ps-aux-host-thousands'), 'orphan-accumulation')).toEqual([]);
  });
});
