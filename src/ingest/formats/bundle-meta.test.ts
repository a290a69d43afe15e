import { describe, expect, it } from 'vitest';
import { bundleMeta } from './bundle-meta.ts';
import { runParser } from './parse-for-test.ts';

describe('bundle-meta', () => {
  it('reads the meta section into Meta fields, the rest into notes', () => {
    const text = `procscope-bundle 1
===== procscope meta =====
host=node-1
time=2026-11-26T18:50:01+00:00
kernel=6.18.44-fc-v669
uname=Linux node-1 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux
nproc=2
pid_max=4194304
threads-max=192730
uptime=2403.51
collector=procscope-collect 1
uid=0
hung_task_timeout_secs=120
`;
    const run = runParser(bundleMeta, text);
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].meta).toEqual({
      host: 'node-1', takenAt: '2026-11-26T18:50:01+00:00', kernel: '6.18.44-fc-v669',
      uname: 'Linux node-1 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux',
      nCpu: 2, pidMax: 4194304, threadsMax: 192730, uptimeSec: 2403.51,
      notes: { collector: 'procscope-collect 1', uid: '0', hung_task_timeout_secs: '120' },
    });
    expect(run.warnings).toEqual([]);
  });

  it('keeps the mounts and errors sections whole in notes, and ends at the next marker', () => {
    const text = `===== procscope mounts =====
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
hangfs /tmp/kit-p3/hung fuse.hangfs rw,nosuid,nodev,relatime,user_id=0,group_id=0 0 0
===== procscope errors =====
ps: timed out after 10 s
===== procscope loadavg =====
0.1 0.2 0.3 1/100 42
`;
    const run = runParser(bundleMeta, text);
    expect(run.captures.map((c) => [c.variant, c.firstLine, c.lastLine])).toEqual([['mounts', 2, 3], ['errors', 5, 5]]);
    expect(run.captures[0].meta.notes!.mounts.split('\n')[1]).toMatch(/^hangfs /);
    expect(run.captures[1].meta.notes).toEqual({ errors: 'ps: timed out after 10 s' });
    expect(run.unclaimed).toEqual([7]);
  });

  it('warns about a non key=value line and a non-numeric number', () => {
    const run = runParser(bundleMeta, '===== procscope meta =====\nhost=n1\nthis is not meta\npid_max=lots\n');
    expect(run.warnings.map((w) => w.line)).toEqual([3, 4]);
    expect(run.captures[0].meta).toEqual({ host: 'n1', notes: { pid_max: 'lots' } });
  });

  it('carries an unknown section of a newer collector in notes instead of losing it', () => {
    const run = runParser(bundleMeta, '===== procscope cgroups =====\n0::/system.slice\n');
    expect(run.captures[0].meta.notes).toEqual({ cgroups: '0::/system.slice' });
  });

  it('leaves the sections other parsers read alone', () => {
    for (const s of ['ps', 'threads', 'status', 'stacks', 'dmesg', 'loadavg', 'stat', 'procstat']) {
      expect(bundleMeta.sniff(['x'], 0, { fileName: '', bundleSection: s })).toBe(0);
    }
  });
});
