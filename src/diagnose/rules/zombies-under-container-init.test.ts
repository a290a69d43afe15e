// P09 on samples/container-init-zombies: `node /app/server.js` as PID 1 of a namespace never reaps
// its exec-probe-like `sh` children: 10 zombies, then 18 twelve seconds later.
import { describe, expect, it } from 'vitest';
import { containerInits, isNamespaceSnapshot } from '../facts.ts';
import { analyzeFixture, analyzeSample, findingsOf } from '../test-inputs.ts';

describe('zombies-under-container-init', () => {
  it('blames the app running as PID 1 and sees the zombies grow', () => {
    const [f] = findingsOf(analyzeSample('container-init-zombies'), 'zombies-under-container-init');
    expect(f.severity).toBe('high'); // growing 10 → 18
    expect(f.title).toBe('node (PID 1) does not reap: 18 zombie children (18× sh)');
    expect(f.pids.slice(0, 4)).toEqual([1, 3, 7, 9]);
    expect(f.pids).toHaveLength(19);
    expect(f.evidence.some((e) => e.text === 'zombie count across moments: 10 → 18 (growing)')).toBe(true);
    expect(f.evidence.some((e) => /a probe period\?/.test(e.text))).toBe(true);
    expect(f.next.join('\n')).toMatch(/tini|dumb-init/);
  });

  it('is quiet when the zombies belong to another parent than PID 1', () => {
    // The fixture namespace: PID 1 `bash fixture.sh` reaps; zombies are under 5 (D) and 21.
    expect(findingsOf(analyzeSample('ps-o-wchan'), 'zombies-under-container-init')).toEqual([]);
  });

  it('never takes a host PID 1 (PPID 0 beside kthreadd) for a container init', () => {
    // samples/baseline-quiet-host ps -eLf: `root 1 0 … /process_api …`, `root 2 0 … [kthreadd]`.
    const host = analyzeSample('baseline-quiet-host');
    const s = host.snapshots[0];
    expect(s.processes.find((p) => p.pid === 1)?.ppid).toBe(0);
    expect(s.processes.find((p) => p.pid === 2)?.ppid).toBe(0);
    expect(isNamespaceSnapshot(s)).toBe(false);
    expect(containerInits(s)).toEqual([]);
    expect(findingsOf(host, 'zombies-under-container-init')).toEqual([]);
    expect(findingsOf(analyzeFixture('busybox-kthreads'), 'zombies-under-container-init')).toEqual([]);
  });
});
