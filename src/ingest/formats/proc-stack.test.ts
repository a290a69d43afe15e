import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procStack } from './proc-stack.ts';
import { rowsOf, runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');

describe('proc-stack', () => {
  it('reads `grep -H . /proc/*/task/*/stack` into one thread row per task, frames innermost first', () => {
    const text = sample('proc-stack/proc-stack.txt');
    const run = runParser(procStack, text);
    const rows = rowsOf(run);
    const tasks = new Set(text.trim().split('\n').map((l) => l.slice(0, l.indexOf(':'))));
    expect(rows).toHaveLength(tasks.size);
    expect(rows.find((r) => r.pid === 5)).toEqual({
      line: 134, kind: 'thread', pid: 5, tid: 5,
      stack: ['kernel_clone+0x1af/0x3e0', '__do_sys_vfork+0x43/0x70', 'do_syscall_64+0x71/0x280', 'entry_SYSCALL_64_after_hwframe+0x76/0x7e'],
    });
    expect(rows.filter((r) => r.pid === 37).map((r) => r.tid)).toEqual([37, 43, 44]);
    expect(run.warnings).toEqual([]);
  });

  it('reads old kernels\' addresses, keeps `[module]` and drops the end-of-stack marker', () => {
    const text = '[<ffffffff810a1b6d>] io_schedule+0x7d/0xc0\n[<ffffffffa01c453c>] jbd2_log_wait_commit+0xac/0x120 [jbd2]\n[<ffffffffffffffff>] 0xffffffffffffffff\n';
    const rows = rowsOf(runParser(procStack, text, { fileName: '/proc/77/stack' }));
    expect(rows).toEqual([{ line: 1, kind: 'process', pid: 77, stack: ['io_schedule+0x7d/0xc0', 'jbd2_log_wait_commit+0xac/0x120 [jbd2]'] }]);
  });

  it('takes a bare stack\'s PID from the echoed command', () => {
    const rows = rowsOf(runParser(procStack, '# cat /proc/116/stack\n[<0>] percpu_rwsem_wait+0x15f/0x1d0\n[<0>] mnt_want_write+0x96/0xc0\n'));
    expect(rows).toEqual([{ line: 2, kind: 'process', pid: 116, stack: ['percpu_rwsem_wait+0x15f/0x1d0', 'mnt_want_write+0x96/0xc0'] }]);
  });

  it('warns clearly about a bare stack with no PID anywhere, once', () => {
    const run = runParser(procStack, '[<0>] percpu_rwsem_wait+0x15f/0x1d0\n[<0>] mnt_want_write+0x96/0xc0\n');
    expect(rowsOf(run)).toEqual([]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0].message).toMatch(/without a PID/);
  });

  it('reads per-PID blocks under `==>` and `echo` headers', () => {
    const text = '==> /proc/5/stack <==\n[<0>] kernel_clone+0x1af/0x3e0\n\n==> /proc/1/stack <==\n[<0>] do_wait+0x53/0x120\n== /proc/9/task/11\n[<0>] futex_do_wait+0x46/0x90\n';
    const rows = rowsOf(runParser(procStack, text));
    expect(rows.map((r) => [r.kind, r.pid, r.tid, r.stack![0]])).toEqual([
      ['process', 5, undefined, 'kernel_clone+0x1af/0x3e0'], ['process', 1, undefined, 'do_wait+0x53/0x120'], ['thread', 9, 11, 'futex_do_wait+0x46/0x90'],
    ]);
  });

  it('warns when a stack was not readable (no root) and skips vanished tasks silently', () => {
    const run = runParser(procStack, 'grep: /proc/5/task/5/stack: Permission denied\ngrep: /proc/9/task/9/stack: No such file or directory\n/proc/1/task/1/stack:[<0>] do_wait+0x53/0x120\n');
    expect(rowsOf(run).map((r) => r.pid)).toEqual([1]);
    expect(run.warnings.map((w) => w.line)).toEqual([1]);
    expect(run.warnings[0].message).toMatch(/needs root/);
  });

  it('does not take a kernel-log frame (`] ? `) for a /proc stack', () => {
    expect(procStack.sniff([' [<ffffffff81090dfe>] ? prepare_to_wait_exclusive+0x4e/0x80'], 0, { fileName: '' })).toBe(0);
  });

  it('accepts the bundle\'s empty-section comment', () => {
    const run = runParser(procStack, '===== procscope stacks =====\n# no task in D\n');
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].rows).toEqual([]);
  });
});
