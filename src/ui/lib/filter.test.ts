import { describe, expect, it } from 'vitest';
import { expectedOf, latest } from './samples.testutil.ts';
import { hasState, makeMatcher } from './filter.ts';

const pidsMatching = (id: string, q: string, state: string | null = null) => {
  const m = makeMatcher({ q, state })!;
  return latest(id).processes.filter(m).map((p) => p.pid);
};

describe('search and state filter', () => {
  it('finds processes by wait channel, case-insensitively', () => {
    expect(pidsMatching('d-cluster-fuse', 'FUSE_DIRECT_IO')).toEqual([27107, 27108]);
  });

  it('finds a process by its exact PID', () => {
    expect(pidsMatching('d-cluster-fuse', '27107')).toEqual([27107]);
  });

  it('finds processes by user and by command', () => {
    expect(pidsMatching('ps-aux', 'averyve')).toContain(23);
    expect(pidsMatching('ps-aux', 'md5sum')).toEqual([]);
    expect(pidsMatching('d-cluster-fuse', 'md5sum')).toEqual([27103, 27106]);
  });

  it('keeps a D thread visible behind an Ssl process row', () => {
    const p = latest('d-thread-behind-ssl').processes.find((x) => x.pid === expectedOf('d-thread-behind-ssl').findings[0].pids[0])!;
    expect(p.state).not.toBe('D');
    expect(hasState(p, 'D')).toBe(true);
    expect(pidsMatching('d-thread-behind-ssl', '', 'D')).toContain(p.pid);
  });

  it('tells traced (t) from stopped (T)', () => {
    expect(pidsMatching('ps-aux', '', 'T')).toEqual([22]);
    expect(pidsMatching('ps-aux', '', 't')).toEqual([25]);
  });

  it('filters nothing when both are empty', () => {
    expect(makeMatcher({ q: '  ', state: null })).toBeNull();
  });
});
