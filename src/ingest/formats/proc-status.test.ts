import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { procStatus, unescapeName } from './proc-status.ts';
import { rowsOf, runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');

// Real lines of /proc/5/status from samples/proc-status-single (a vfork parent in D).
const STATUS_5 = sample('proc-status-single/proc-status.txt');

describe('proc-status', () => {
  it('reads one status file: state, parent, threads, NSpid, RSS, Kthread and switch counts', () => {
    const run = runParser(procStatus, STATUS_5, { fileName: 'proc-status.txt' });
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].variant).toBe('single');
    expect(rowsOf(run)).toEqual([{
      line: 1, kind: 'process', pid: 5, tgid: 5, ppid: 1, uid: 0, state: 'D', comm: 'vfork_dparent',
      vszKiB: 2476, rssKiB: 1512, nlwp: 1, tracerPid: 0, ctxtVoluntary: 2, ctxtNonvoluntary: 1, nspid: [5], kthread: false,
    }]);
    expect(run.warnings).toEqual([]);
  });

  it('reads `head -n 100 /proc/[0-9]*/status` blocks, one row per `==>` header', () => {
    const text = sample('proc-status-bulk/proc-status-bulk.txt');
    const run = runParser(procStatus, text);
    const rows = rowsOf(run);
    expect(rows).toHaveLength(text.match(/^==> \/proc\/\d+\/status <==$/gm)!.length);
    expect(run.captures[0].variant).toBe('bulk');
    expect(rows.find((r) => r.pid === 25)).toMatchObject({ state: 't', tracerPid: 37, ppid: 1 });
    expect(rows.find((r) => r.pid === 22)).toMatchObject({ state: 'T' });
    expect(rows.find((r) => r.pid === 4)).toMatchObject({ comm: 'a) (b c) R 1 2' });
    // zombies have no VmRSS line: unknown, not zero
    expect(rows.find((r) => r.pid === 10)).toMatchObject({ state: 'Z' });
    expect(rows.find((r) => r.pid === 10)!.rssKiB).toBeUndefined();
    expect(run.unclaimed).toEqual([]);
  });

  it('reads `grep -E State|PPid|TracerPid /proc/*/status` lines and drops /proc/self (the grep itself)', () => {
    const run = runParser(procStatus, sample('proc-status-grep/proc-status-grep.txt'));
    const rows = rowsOf(run);
    expect(run.captures[0].variant).toBe('grep');
    expect(rows.find((r) => r.pid === 24)).toEqual({ line: 49, kind: 'process', pid: 24, state: 'S', ppid: 1, tracerPid: 36 });
    expect(rows.some((r) => r.ppid === 575 && r.state === 'R')).toBe(false);
    expect(run.unclaimed).toEqual([]);
    expect(run.warnings).toEqual([]);
  });

  it('drops the `==> /proc/self/status <==` block of `head /proc/*/status` (the head itself)', () => {
    const text = `==> /proc/5/status <==\n${STATUS_5}\n==> /proc/self/status <==\nName:\thead\nState:\tR (running)\nPid:\t99\n`;
    const run = runParser(procStatus, text);
    expect(rowsOf(run).map((r) => r.pid)).toEqual([5]);
    expect(run.warnings).toEqual([]);
  });

  it('reads `echo "== $p"` separators between files', () => {
    const text = `== /proc/1\nName:\tsleep\nState:\tS (sleeping)\nPid:\t1\nPPid:\t0\n== /proc/5\nName:\tvfork_dparent\nState:\tD (disk sleep)\nPid:\t5\nPPid:\t1\n`;
    const rows = rowsOf(runParser(procStatus, text));
    expect(rows.map((r) => [r.pid, r.state, r.ppid])).toEqual([[1, 'S', 0], [5, 'D', 1]]);
  });

  it('splits `cat /proc/1/status /proc/5/status` (no separator) at each `Name:`', () => {
    const first = STATUS_5.replace(/^Pid:\t5$/m, 'Pid:\t1').replace(/^Tgid:\t5$/m, 'Tgid:\t1');
    const rows = rowsOf(runParser(procStatus, first + STATUS_5));
    expect(rows.map((r) => r.pid)).toEqual([1, 5]);
  });

  it('reads sos trees (`proc/1/status`, relative) and task files as thread rows of their process', () => {
    const sos = 'proc/1/status:Name:\tsystemd\nproc/1/status:State:\tS (sleeping)\nproc/5/task/7/status:Name:\tworker\nproc/5/task/7/status:State:\tD (disk sleep)\n';
    expect(rowsOf(runParser(procStatus, sos)).map((r) => [r.kind, r.pid, r.tid, r.comm, r.state])).toEqual([
      ['process', 1, undefined, 'systemd', 'S'], ['thread', 5, 7, 'worker', 'D'],
    ]);
    const head = '==> /proc/5/task/7/status <==\nName:\tworker\nState:\tD (disk sleep)\nTgid:\t5\nPid:\t7\n';
    expect(rowsOf(runParser(procStatus, head))).toEqual([expect.objectContaining({ kind: 'thread', pid: 5, tid: 7, tgid: 5 })]);
  });

  it('makes a thread row from a lone status whose Pid differs from its Tgid', () => {
    const rows = rowsOf(runParser(procStatus, 'Name:\tpython3\nState:\tD (disk sleep)\nTgid:\t169\nPid:\t210\nPPid:\t1\n'));
    expect(rows).toEqual([expect.objectContaining({ kind: 'thread', pid: 169, tid: 210, state: 'D' })]);
  });

  it('keeps every NSpid value, outermost first (`NSpid:\t7487\t116`)', () => {
    const rows = rowsOf(runParser(procStatus, 'Name:\tbash\nState:\tD (disk sleep)\nTgid:\t7487\nPid:\t7487\nNSpid:\t7487\t116\n'));
    expect(rows[0].nspid).toEqual([7487, 116]);
    expect(rows[0].pid).toBe(7487);
  });

  it('unescapes Name (`\\n`, `\\\\`) and reads `Kthread:\t1`', () => {
    expect(unescapeName('a\\nb\\\\c')).toBe('a\nb\\c');
    const rows = rowsOf(runParser(procStatus, 'Name:\tkworker/u8:0-writeback\nState:\tI (idle)\nTgid:\t12\nPid:\t12\nPPid:\t2\nKthread:\t1\n'));
    expect(rows[0]).toMatchObject({ state: 'I', kthread: true, ppid: 2 });
  });

  it('ignores `No such file or directory` from PIDs that exited, without a warning', () => {
    const text = `==> /proc/1/status <==\nName:\tsleep\nState:\tS (sleeping)\nPid:\t1\nhead: cannot open '/proc/9/status' for reading: No such file or directory\n==> /proc/5/status <==\nName:\tx\nState:\tD (disk sleep)\nPid:\t5\n`;
    const run = runParser(procStatus, text);
    expect(rowsOf(run).map((r) => r.pid)).toEqual([1, 5]);
    expect(run.warnings).toEqual([]);
    expect(run.unclaimed).toEqual([]);
  });

  it('takes the PID from the echoed command when grep printed no path', () => {
    const run = runParser(procStatus, '$ grep -E "State|PPid" /proc/169/status\nState:\tD (disk sleep)\nPPid:\t1\n');
    expect(rowsOf(run)).toEqual([{ line: 2, kind: 'process', pid: 169, state: 'D', ppid: 1 }]);
  });

  it('warns, and keeps nothing, for status lines with no PID anywhere', () => {
    const run = runParser(procStatus, 'State:\tD (disk sleep)\nPPid:\t1\n');
    expect(rowsOf(run)).toEqual([]);
    expect(run.warnings[0].message).toMatch(/without a PID/);
  });

  it('does not claim top\'s `Threads:` line or other `Key: value` text', () => {
    expect(procStatus.sniff(['Threads:   3 total,   0 running,   3 sleeping'], 0, { fileName: '' })).toBe(0);
    expect(procStatus.sniff(['Tasks:  25 total,   1 running'], 0, { fileName: '' })).toBe(0);
  });

  it('stops at a foreign `==>` header and at a prompt line', () => {
    const text = `==> /proc/1/status <==\nName:\tsleep\nPid:\t1\n\n==> /proc/1/stack <==\n[<0>] do_wait+0x53/0x120\n`;
    const run = runParser(procStatus, text);
    expect(run.captures[0].lastLine).toBe(3);
    const two = runParser(procStatus, `Name:\tsleep\nState:\tS (sleeping)\nPid:\t1\n$ cat /proc/loadavg\n0.1 0.2 0.3 1/2 3\n`);
    expect(two.captures[0].lastLine).toBe(3);
  });

  it('reads the real two-moment status capture as two sections, one per `$ head` command', () => {
    const run = runParser(procStatus, sample('d-cluster-fuse/proc-status-2moments.txt'));
    expect(run.captures).toHaveLength(2);
    const d = (i: number) => run.captures[i].rows.filter((r) => r.state === 'D').map((r) => r.pid);
    expect(d(0)).toEqual(d(1));
    expect(d(0).length).toBeGreaterThanOrEqual(8);
  });
});
