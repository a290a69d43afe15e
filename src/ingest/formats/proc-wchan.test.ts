import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procWchan } from './proc-wchan.ts';
import { procCmdline } from './proc-cmdline.ts';
import { rowsOf, runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');

describe('proc-wchan', () => {
  it('reads `grep -H . /proc/[0-9]*/wchan`; `0` (running, or a zombie) becomes null', () => {
    const text = sample('proc-wchan-grep/proc-wchan-grep.txt');
    const run = runParser(procWchan, text);
    const rows = rowsOf(run);
    expect(rows).toHaveLength(text.trim().split('\n').length);
    expect(rows.find((r) => r.pid === 5)).toEqual({ line: 34, kind: 'process', pid: 5, wchan: 'kernel_clone' });
    expect(rows.find((r) => r.pid === 10)!.wchan).toBeNull();
    expect(rows.find((r) => r.pid === 26)!.wchan).toBe('poll_schedule_timeout.constprop.0');
    expect(run.captures[0].variant).toBe('grep');
  });

  it('reads the echo loop `/proc/1 __do_sys_pause` (and is not taken for cmdline)', () => {
    const text = sample('proc-wchan-loop/proc-wchan-loop.txt');
    const run = runParser(procWchan, text);
    expect(rowsOf(run).map((r) => [r.pid, r.wchan]).slice(0, 2)).toEqual([[1, 'do_wait'], [10, null]]);
    expect(run.unclaimed).toEqual([]);
    expect(procCmdline.sniff(text.split('\n'), 0, { fileName: '' })).toBe(0);
  });

  it('reads task wchan paths as thread rows', () => {
    const rows = rowsOf(runParser(procWchan, '/proc/169/task/169/wchan:do_epoll_wait\n/proc/169/task/210/wchan:percpu_rwsem_wait\n'));
    expect(rows.map((r) => [r.kind, r.pid, r.tid, r.wchan])).toEqual([['thread', 169, 169, 'do_epoll_wait'], ['thread', 169, 210, 'percpu_rwsem_wait']]);
  });

  it('reads a bare single word only when the file name says it is /proc/PID/wchan', () => {
    expect(procWchan.sniff(['percpu_rwsem_wait'], 0, { fileName: '' })).toBe(0);
    const run = runParser(procWchan, 'percpu_rwsem_wait', { fileName: '/proc/123/wchan' });
    expect(rowsOf(run)).toEqual([{ line: 1, kind: 'process', pid: 123, wchan: 'percpu_rwsem_wait' }]);
    const noPid = runParser(procWchan, 'percpu_rwsem_wait', { fileName: 'wchan' });
    expect(rowsOf(noPid)).toEqual([]);
    expect(noPid.warnings[0].message).toMatch(/without a PID/);
  });

  it('reads `==> /proc/N/wchan <==` blocks', () => {
    const rows = rowsOf(runParser(procWchan, '==> /proc/1/wchan <==\ndo_wait\n==> /proc/5/wchan <==\nkernel_clone\n'));
    expect(rows.map((r) => [r.pid, r.wchan])).toEqual([[1, 'do_wait'], [5, 'kernel_clone']]);
  });

  it('explains values that ran together (`cat /proc/*/wchan` has no newlines)', () => {
    const run = runParser(procWchan, '0do_waithrtimer_nanosleep0', { fileName: 'wchan.txt' });
    expect(rowsOf(run)).toEqual([]);
    expect(run.warnings[0].message).toMatch(/ran together/);
  });
});
