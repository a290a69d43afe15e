import { describe, expect, it } from 'vitest';
import { overviewFacts } from './overviewFacts.ts';
import { latest } from './samples.testutil.ts';

describe('overview facts', () => {
  it('lists the five largest RSS and CPU users in order, as a full sort would', () => {
    const s = latest('ps-aux-host-thousands');
    const f = overviewFacts(s);
    const byRss = [...s.processes].filter((p) => (p.rssKiB ?? 0) > 0).sort((a, b) => (b.rssKiB ?? 0) - (a.rssKiB ?? 0) || a.pid - b.pid).slice(0, 5);
    expect(f.topRss.map((p) => p.pid)).toEqual(byRss.map((p) => p.pid));
    const byCpu = [...s.processes].filter((p) => (p.pcpu ?? 0) > 0).sort((a, b) => (b.pcpu ?? 0) - (a.pcpu ?? 0) || a.pid - b.pid).slice(0, 5);
    expect(f.topCpu.map((p) => p.pid)).toEqual(byCpu.map((p) => p.pid));
  });

  it('counts kernel threads and distinct users', () => {
    const s = latest('ps-aux-host-thousands');
    const f = overviewFacts(s);
    expect(f.kernelThreads).toBe(s.processes.filter((p) => p.isKernelThread).length);
    expect(f.kernelThreads).toBeGreaterThan(0);
    expect(f.users).toBe(new Set(s.processes.map((p) => p.user).filter(Boolean)).size);
  });
});
