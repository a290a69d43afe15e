import { describe, expect, it } from 'vitest';
import { rule } from './capture-incomplete.ts';
import { editLine, runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('capture-incomplete (P21)', () => {
  it('stays quiet on a collector bundle whose own shell only waits in vfork', () => {
    expect(runRule(rule, sampleInputs('collect-bundle-d-state')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
  });

  it('reports the capture\'s own ps stuck in D on an mm lock, with the D tasks as suspects', () => {
    const b = sampleInputs('collect-bundle-d-state');
    // The collector's `ps -eww …` (174) as it looks when /proc/PID/cmdline blocks on a task's mmap lock.
    const text = editLine(b[0].text, (l) => /^\s+174\s+173\s/.test(l), (l) => l.replace(' R    -                               ', ' D    down_read_killable              '));
    const { findings } = runRule(rule, withFile(b, 'bundle.txt', text));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('high');
    expect(f.pids[0]).toBe(174);
    expect(f.pids).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(f.title).toMatch(/The capture itself hung/);
    expect(f.next.some((n) => n.includes('strace'))).toBe(true);
  });

  it('adds D processes whose command line read empty (`[cat]`) as evidence', () => {
    const b = sampleInputs('collect-bundle-d-state');
    let text = editLine(b[0].text, (l) => /^\s+174\s+173\s/.test(l), (l) => l.replace(' R    -                               ', ' D    down_read_killable              '));
    text = editLine(text, (l) => /^\s+2\s+1\s.* cat \/tmp\/kit-p3\/hung\/disk\.img$/.test(l), (l) => l.replace('cat /tmp/kit-p3/hung/disk.img', '[cat]'));
    const { findings } = runRule(rule, withFile(b, 'bundle.txt', text));
    expect(findings[0].evidence.some((e) => e.pid === 2 && /^no command line for \[?cat\]? \(2\)/.test(e.text))).toBe(true);
  });

  it('reports a collector timeout note', () => {
    const b = sampleInputs('collect-bundle-d-state');
    const text = `${b[0].text.replace(/\n$/, '')}\n===== procscope errors =====\nps: timed out after 20s (timeout -k 1 20 ps -eww -o pid,ppid,stat,args): output may be cut short\n`;
    const { findings } = runRule(rule, withFile(b, 'bundle.txt', text));
    expect(findings.map((f) => f.severity)).toEqual(['high']);
    expect(findings[0].evidence.some((e) => e.text.includes('collector: ps: timed out after 20s'))).toBe(true);
  });

  it('names the task holding the mm lock (dd in D in filemap_fault) first, then the queued writer, then the stuck ps', () => {
    const { findings } = runRule(rule, sampleInputs('capture-incomplete'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.pids.slice(0, 3)).toEqual([6, 2, 8]);
    expect(f.title).toMatch(/prime suspect dd \(6\)/);
    expect(f.next.some((n) => n.includes('cat /proc/2/cmdline'))).toBe(true);
  });

  it('takes a step its timeout killed (`exit status 137 … Killed`) as a timed-out step', () => {
    const b = sampleInputs('collect-bundle-d-state');
    const text = `${b[0].text.replace(/\n$/, '')}\n===== procscope errors =====\nthreads: exit status 137 (timeout -k 1 5 ps -eLww -o pid,tid,stat,wchan:32,psr,pcpu,comm): Killed \n`;
    const { findings } = runRule(rule, withFile(b, 'bundle.txt', text));
    expect(findings.map((f) => f.severity)).toEqual(['high']);
    expect(findings[0].title).toMatch(/The capture timed out \(1 step\)/);
    // A plain read in FUSE (the hung-task trace's `? handle_mm_fault` frames are stale) holds no mm lock.
    expect(findings[0].evidence.some((e) => /likely holds the mm lock/.test(e.text))).toBe(false);
  });

  it('reports far fewer thread rows than loadavg counts on a whole host (MEDIUM)', () => {
    const inputs = sampleInputs('baseline-quiet-host');
    const text = inputs.find((i) => i.name === 'loadavg.txt')!.text.replace('/365 ', '/1200 ');
    const { findings } = runRule(rule, withFile(inputs, 'loadavg.txt', text));
    expect(findings.map((f) => f.severity)).toEqual(['medium']);
    expect(findings[0].title).toMatch(/of 1200 threads/);
  });

  it('does not compare a PID namespace with the host-wide loadavg', () => {
    expect(runRule(rule, sampleInputs('ps-eLf')).findings).toEqual([]);
  });
});
