// P14 on __fixtures__/defunct-leader-and-probes: twelve `pg_isready -h orders-db -p 5432` helpers
// (real sleeps disguised with exec -a) started 3 s apart that never finish.
import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeSample, findingsOf } from '../test-inputs.ts';

describe('probe-pileup', () => {
  it('finds identical probes piling up, oldest first, and says what the oldest waits on', () => {
    const [f] = findingsOf(analyzeFixture('defunct-leader-and-probes'), 'probe-pileup');
    expect(f.severity).toBe('high');
    expect(f.pids).toEqual([7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29]);
    expect(f.title).toBe('12 hanging probes `pg_isready -h orders-db -p 5432 600` piled up over 34s — the oldest waits in hrtimer_nanosleep');
    expect(f.next[0]).toBe('cat /proc/7/stack /proc/7/wchan');
  });

  it('does not call twelve identical workers started together a pile-up', () => {
    // samples/orphans-under-init: `python3 /opt/app/worker.py` — not probe-like.
    expect(findingsOf(analyzeSample('orphans-under-init'), 'probe-pileup')).toEqual([]);
    // samples/ps-aux-host-thousands: 3000 `sleep` children, no probes.
    expect(findingsOf(analyzeSample('ps-aux-host-thousands'), 'probe-pileup')).toEqual([]);
  });

  it("does not count the capture's own ps and awk", () => {
    expect(findingsOf(analyzeFixture('capture-pipeline'), 'probe-pileup')).toEqual([]);
  });
});
