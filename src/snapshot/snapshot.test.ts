import { describe, expect, it } from 'vitest';
import type { Capture, Row } from '../model/index.ts';
import { buildSnapshot } from './index.ts';
import { ancestry, descendants } from './graph.ts';
import { momentsOf } from './timeline.ts';

// Rows as the parsers produce them from the real outputs quoted in formats.md §1.6:
//   `ps -o pid,stat`                           →  169 Ssl
//   `ps -Lo pid,lwp,stat,wchan:20,comm`        →  169 210 Dsl percpu_rwsem_wait python3
function cap(format: Capture['format'], rows: Row[], extra: Partial<Capture> = {}): Capture {
  return { input: `${format}.txt`, format, variant: '', firstLine: 1, lastLine: rows.length + 1, moment: 0, fields: [], rows, kernelTasks: [], meta: {}, warnings: [], ...extra };
}

describe('snapshot join', () => {
  it('keeps a D thread visible behind an Ssl process row', () => {
    const ps = cap('ps', [{ line: 2, kind: 'process', pid: 169, ppid: 1, stat: 'Ssl', state: 'S', comm: 'python3' }]);
    const threads = cap('ps', [
      { line: 2, kind: 'thread', pid: 169, tid: 169, stat: 'Ssl', state: 'S', wchan: 'do_epoll_wait', comm: 'python3' },
      { line: 3, kind: 'thread', pid: 169, tid: 210, stat: 'Dsl', state: 'D', wchan: 'percpu_rwsem_wait', comm: 'python3' },
    ]);
    const s = buildSnapshot([ps, threads]);
    const p = s.processes[0];
    expect(p.state).toBe('S');
    expect(p.threads.map((t) => [t.tid, t.state, t.wchan])).toEqual([[169, 'S', 'do_epoll_wait'], [210, 'D', 'percpu_rwsem_wait']]);
    expect(s.counts.byState).toEqual({ S: 1 });
    expect(s.counts.threadsByState).toEqual({ S: 1, D: 1 });
    expect(s.conflicts.map((c) => c.message)).toEqual(['PID 169 shows Ssl but its thread 210 (python3) is in D on percpu_rwsem_wait']);
  });

  it('takes the process state from the main thread under `ps m` (process STAT `-`)', () => {
    // ps auxm: `root 2 ... ? - 17:51 0:00 ./fix threads` then `root - ... - Sl 17:51 0:00 -`
    const s = buildSnapshot([cap('ps', [
      { line: 2, kind: 'process', pid: 2, stat: '-', args: './fix threads' },
      { line: 3, kind: 'thread', pid: 2, tid: 2, stat: 'Sl', state: 'S' },
      { line: 4, kind: 'thread', pid: 2, tid: 16, stat: 'Sl', state: 'S' },
    ])]);
    expect(s.processes[0].state).toBe('S');
    expect(s.processes[0].stat).toBe('Sl');
    expect(s.counts.threads).toBe(2);
  });

  it('builds parentage from PPID: children, depth, roots, subtree totals', () => {
    // ps -eo pid,ppid,comm --forest (formats.md §1.4)
    const rows: Row[] = [[78, 0, 'bash'], [79, 78, 'bash'], [82, 79, 'sleep'], [80, 78, 'bash'], [83, 80, 'sh'], [84, 83, 'sleep'], [81, 78, 'sleep']]
      .map(([pid, ppid, comm], i) => ({ line: i + 2, kind: 'process' as const, pid: pid as number, ppid: ppid as number, comm: comm as string }));
    const s = buildSnapshot([cap('ps', rows)]);
    const by = new Map(s.processes.map((p) => [p.pid, p]));
    expect(s.roots).toEqual([78]);
    expect(by.get(78)!.children).toEqual([79, 80, 81]);
    expect(by.get(84)!.depth).toBe(3);
    expect(by.get(78)!.subtreeSize).toBe(7);
    expect(ancestry(84, by)).toEqual([84, 83, 80, 78]);
    expect(descendants(80, by)).toEqual([80, 83, 84]);
  });

  it('survives a PPID cycle from corrupt input without losing processes', () => {
    const s = buildSnapshot([cap('ps', [
      { line: 2, kind: 'process', pid: 10, ppid: 11 }, { line: 3, kind: 'process', pid: 11, ppid: 10 }, { line: 4, kind: 'process', pid: 1, ppid: 0 },
    ])]);
    expect(s.processes).toHaveLength(3);
    expect(s.roots).toEqual([1, 10, 11]);
  });

  it('maps a namespace PID to its host PID from NSpid and joins the hung-task report by host PID', () => {
    // NSpid:	7487	116 — dmesg's bash:7487 was PID 116 in the container (formats.md §2)
    const ps = cap('ps', [{ line: 2, kind: 'process', pid: 116, ppid: 0, stat: 'Ds', state: 'D', comm: 'bash' }]);
    const status = cap('proc-status', [{ line: 5, kind: 'process', pid: 116, nspid: [7487, 116], state: 'D' }]);
    const log = cap('kernel-log', [], {
      kernelTasks: [{ line: 1, source: 'hung-task', comm: 'bash', pid: 7487, ppid: 7483, state: 'D', blockedSec: 10, stack: ['percpu_rwsem_wait+0x15f/0x1d0'], text: [] }],
    });
    const s = buildSnapshot([log, status, ps]);
    expect(s.processes[0].hostPid).toBe(7487);
    expect(s.processes[0].kernelTasks.map((k) => k.pid)).toEqual([7487]);
    expect(s.kernelTasks).toEqual([]);
  });

  it('folds a host-side /proc status (NSpid 16593 2) into the namespace process PID 2', () => {
    // samples/ppid-zero-namespace: `ps -ef` inside shows `2 0 … bash`; on the host
    // /proc/16593/status has `PPid: 16591` and `NSpid: 16593 2`.
    const ps = cap('ps', [{ line: 3, kind: 'process', pid: 2, ppid: 0, comm: 'bash', state: 'S' }]);
    const host = cap('proc-status', [{ line: 1, kind: 'process', pid: 16593, ppid: 16591, comm: 'bash', state: 'S', nspid: [16593, 2] }]);
    const s = buildSnapshot([ps, host]);
    expect(s.processes.map((p) => [p.pid, p.ppid, p.hostPid])).toEqual([[2, 0, 16593]]);
  });

  it('does not fold a host status into PID 2 when the names differ (kthreadd on a host)', () => {
    const ps = cap('ps', [{ line: 3, kind: 'process', pid: 2, ppid: 0, comm: 'kthreadd' }]);
    const host = cap('proc-status', [{ line: 1, kind: 'process', pid: 16593, comm: 'bash', nspid: [16593, 2] }]);
    expect(buildSnapshot([ps, host]).processes.map((p) => p.pid)).toEqual([2, 16593]);
  });

  it('keeps a kernel task whose comm disagrees as kernel-only evidence', () => {
    const ps = cap('ps', [{ line: 2, kind: 'process', pid: 800, ppid: 1, state: 'S', comm: 'sleep' }]);
    const log = cap('kernel-log', [], { kernelTasks: [{ line: 1, source: 'hung-task', comm: 'fsck.ext4', pid: 800, state: 'D', stack: [], text: [] }] });
    const s = buildSnapshot([ps, log]);
    expect(s.processes[0].kernelTasks).toEqual([]);
    expect(s.kernelTasks.map((k) => k.comm)).toEqual(['fsck.ext4']);
  });

  it('reports two inputs that disagree on a state, keeping the first', () => {
    const a = cap('ps', [{ line: 2, kind: 'process', pid: 5, state: 'D', stat: 'D' }]);
    const b = cap('proc-status', [{ line: 3, kind: 'process', pid: 5, state: 'S' }]);
    const s = buildSnapshot([b, a]);
    expect(s.processes[0].state).toBe('D');
    expect(s.conflicts).toHaveLength(1);
    expect(s.conflicts[0].field).toBe('state');
  });

  it('prefers a full name over one cut at 80 columns by another input', () => {
    // top without -w: `vfork_d+` (flagged truncated); pstree -p prints `vfork_dparent(3)`
    const top = cap('top', [{ line: 8, kind: 'process', pid: 3, comm: 'vfork_d', truncated: true, state: 'D' }]);
    const tree = cap('pstree', [{ line: 1, kind: 'process', pid: 3, comm: 'vfork_dparent' }]);
    expect(buildSnapshot([top, tree]).processes[0].comm).toBe('vfork_dparent');
  });

  it('treats children of PID 2 as kernel threads only when PID 2 is kthreadd', () => {
    const host = buildSnapshot([cap('ps', [
      { line: 2, kind: 'process', pid: 2, ppid: 0, args: '[kthreadd]' },
      { line: 3, kind: 'process', pid: 3, ppid: 2, args: '[pool_workqueue_release]' },
    ])]);
    expect(host.processes.map((p) => p.isKernelThread)).toEqual([true, true]);
    // inside a PID namespace (samples/ppid-zero-namespace): `2 0 bash`, `3 2 sleep 100000`
    const ns = buildSnapshot([cap('ps', [
      { line: 2, kind: 'process', pid: 2, ppid: 0, args: 'bash -c sleep 100000; true' },
      { line: 3, kind: 'process', pid: 3, ppid: 2, args: 'sleep 100000' },
    ])]);
    expect(ns.processes.map((p) => p.isKernelThread)).toEqual([false, false]);
  });

  it('folds a top -H row keyed by TID into the process that lists that thread', () => {
    // samples/hot-thread: `ps -eLo pid,lwp,…` shows `5 6 … worker-1`; `top -H` prints TID 6 as
    // its own row with no TGID column (`6 root 20 0 … R 99.7 … worker-1`).
    const ps = cap('ps', [
      { line: 2, kind: 'thread', pid: 5, tid: 5, ppid: 1, state: 'S', comm: 'hot' },
      { line: 3, kind: 'thread', pid: 5, tid: 6, ppid: 1, state: 'S', comm: 'worker-1' },
    ]);
    const top = cap('top', [{ line: 8, kind: 'thread', pid: 6, tid: 6, state: 'R', pcpu: 99.7, comm: 'worker-1' }]);
    const s = buildSnapshot([top, ps]);
    expect(s.processes.map((p) => p.pid)).toEqual([5]);
    const t6 = s.processes[0].threads.find((t) => t.tid === 6)!;
    expect(t6).toMatchObject({ state: 'S', pcpu: 99.7 });
    expect(t6.src.map((r) => r.line)).toEqual([3, 8]);
    expect('pid' in t6).toBe(false);
    expect(s.counts.threads).toBe(2);
  });

  it('counts unknown state as `?`, never as a real state', () => {
    const s = buildSnapshot([cap('pstree', [{ line: 1, kind: 'process', pid: 1 }])]);
    expect(s.counts.byState).toEqual({ '?': 1 });
    expect(s.processes[0].state).toBeNull();
  });
});

describe('timeline', () => {
  it('puts each moment of a multi-moment input in its own snapshot and single-moment inputs in all', () => {
    const top0 = { ...cap('top', []), input: 'top.txt', moment: 0 };
    const top1 = { ...cap('top', []), input: 'top.txt', moment: 1 };
    const dmesg = { ...cap('kernel-log', []), input: 'dmesg.txt', moment: 0 };
    const m = momentsOf([top0, top1, dmesg]);
    expect(m).toHaveLength(2);
    expect(m[0]).toEqual([top0, dmesg]);
    expect(m[1]).toEqual([top1, dmesg]);
  });
});
