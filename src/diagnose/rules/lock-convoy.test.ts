// P05 on samples/lock-convoy: eight tools queued on /srv/shared's i_rwsem behind mkdir 29401, the
// kernel's `blocked on an rw-semaphore likely owned by task mkdir:29401` lines naming the holder.
import { describe, expect, it } from 'vitest';
import { analyzeSample, findingsOf } from '../test-inputs.ts';

describe('lock-convoy', () => {
  it('puts the owner first and gathers the reported and the killable waiters', () => {
    const [f] = findingsOf(analyzeSample('lock-convoy'), 'lock-convoy');
    expect(f.pids).toEqual([29401, 29402, 29403, 29404, 29405, 29406, 29407, 29408, 29409]);
    expect(f.title).toBe('8 tasks in D queued on a kernel lock held by mkdir (29401) — lock convoy, not I/O');
    expect(f.evidence.some((e) => e.input === 'dmesg.txt' && /blocked on a .*likely owned by task mkdir:29401/.test(e.text))).toBe(true);
    expect(f.next[0]).toBe('cat /proc/29401/stack; ps -L -o pid,tid,stat,wchan:32,comm -p 29401');
    expect(f.rootCause).toBe('path:/srv/shared');
  });

  it('names a likely holder when the kernel printed no blocker line', () => {
    const [f] = findingsOf(analyzeSample('cephfs-hang'), 'lock-convoy');
    expect(f.evidence.some((e) => e.pid === 7 && /^likely holder/.test(e.text))).toBe(true);
  });

  it('does not call one task that owns its own mutex a convoy', () => {
    // samples/dmesg-formats: `INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.`
    expect(findingsOf(analyzeSample('dmesg-formats'), 'lock-convoy')).toEqual([]);
  });

  it('stays quiet on page-cache and block I/O waits', () => {
    expect(findingsOf(analyzeSample('d-cluster-fuse'), 'lock-convoy')).toEqual([]);
    expect(findingsOf(analyzeSample('rbd-fsck-hang'), 'lock-convoy')).toEqual([]);
  });
});
