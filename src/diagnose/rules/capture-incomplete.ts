// P21 Capture hung / rows missing — HIGH, a strong indicator. ps reads /proc/PID/cmdline, which
// takes the target's mm lock; a task stuck holding it (a page fault on a hung filesystem, a memcg at
// its limit) blocks every reader. Evidence:
//   - the capture's own ps/top/pgrep in D (`rwsem_down_read*`, `down_read_killable`, `access_remote_vm`);
//   - the collector noted a timeout (`ps: timed out after 20s (…): output may be cut short`);
//   - on a whole-host capture with threads, far fewer rows than loadavg's total.
// The prime suspect is the task that holds the lock: in D inside a page fault or on I/O (`filemap_fault`,
// `folio_wait_bit*`, FUSE) while the others queue on the mmap lock (`rwsem_down_*`, `vm_mmap_pgoff`,
// `__access_remote_vm`). Order: holders, then the lock's waiters, then the capture's own stuck tools,
// then the other D tasks — the holder is the cause, ps is only its last victim.
// Quiet: the collector's own shell waiting in vfork (a killable wait for its child to exec), and
// PID-namespace captures, which never see the host's tasks.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  ageSec, allFamilies, CAPTURE, captureSet, causeOrder, cite, citeTask, describeProcess, describeTask, dTasks, hasStates, isNamespaceSnapshot, killableKind,
  meaningfulFrames, plural, rootCauseOf, symbolsOf, tasksInStates, taskLabel, uniquePids, type Task,
} from '../facts.ts';
import { loadReadings } from '../facts-moments.ts';

const MM_WAIT = /^(?:rwsem_down_read|rwsem_down_write|down_read|down_write|down_read_killable|__down_read|__down_write|mmap_read_lock|mmap_write_lock|mmap_lock|lock_mm_and_find_vma|vm_mmap_pgoff|vm_munmap|__vm_munmap|do_mprotect_pkey|access_remote_vm|__access_remote_vm|proc_pid_cmdline_read|get_cmdline|mm_access|environ_read|do_user_addr_fault|handle_mm_fault|__do_page_fault|do_page_fault|exc_page_fault)/;
// The wait itself is on the mmap lock (the task queues for it, it does not hold it):
// `/proc/2/task/4/stack:[<0>] vm_mmap_pgoff+0xe0/0x210` (a writer queued in mmap),
// `/proc/8/task/8/stack:[<0>] __access_remote_vm+0x4d/0x3b0` (ps reading environ).
const LOCK_WAIT = /^(?:rwsem_down_|down_read|down_write|__down_read|__down_write|mmap_read_lock|mmap_write_lock|mmap_lock|lock_mm_and_find_vma|vm_mmap_pgoff|vm_munmap|__vm_munmap|do_mprotect_pkey|access_remote_vm|__access_remote_vm|proc_pid_cmdline_read|get_cmdline|mm_access|environ_read)/;
// A page fault in progress (the mmap lock is held for it): `/proc/6/task/6/stack:[<0>] filemap_fault+0xa0e/0x1650`
// ← `__do_fault` ← … ← `__get_user_pages` ← `get_user_pages_remote` ← `__access_remote_vm` ← `mem_rw`.
const FAULT = /^(?:filemap_fault|__filemap_fault|__do_fault|do_fault|do_read_fault|do_shared_fault|do_cow_fault|__handle_mm_fault|faultin_page|__get_user_pages|get_user_pages|fault_in_)/;
// With no stack, a wchan in a fault or a page/FUSE wait is the best sign of a holder.
const HOLDER_WCHAN = /^(?:filemap_fault|__do_fault|do_fault|folio_wait_bit|wait_on_page_bit|__lock_page|__folio_lock|fuse_|request_wait_answer)/;

function isMmWait(t: Task): boolean {
  return symbolsOf(t).slice(0, 6).some((x) => MM_WAIT.test(x));
}

/** Queued for an mmap lock: the wait (first frames, before any fault) is a lock or mm-access wait. */
function isLockWaiter(t: Task): boolean {
  const syms = symbolsOf(t).slice(0, 4);
  for (const x of syms) {
    if (FAULT.test(x)) return false;
    if (LOCK_WAIT.test(x)) return true;
  }
  return false;
}

/**
 * Holds an mm lock while stuck: in D inside a page fault, or (no stack) in a fault/page/FUSE wait.
 * Only reliable frames count: a hung-task trace's `? __handle_mm_fault+0xa1e/0xf40` is stale stack
 * garbage under a plain read (`fuse_direct_IO ← generic_file_read_iter ← vfs_read`).
 */
function isLockHolder(t: Task): boolean {
  if (isLockWaiter(t)) return false;
  if (t.stack.length > 0) {
    const reliable = t.stack.filter((f) => !/^\s*(?:\[<[^>]*>\]\s*)*\?\s/.test(f));
    return meaningfulFrames(reliable).some((x) => FAULT.test(x));
  }
  return HOLDER_WCHAN.test(t.wchan);
}

// The collector's notes on a step that did not finish: `ps: timed out after 20s (…): output may be cut
// short`, or one its timeout killed: `ps: exit status 137 (timeout -k 1 5 ps -eww -o …): Killed`.
const TIMEOUT_NOTE = /timed out|cut short|abandon|exit status 137\b/i;

function timeoutNotes(s: Snapshot): string[] {
  const e = s.meta.notes?.errors;
  if (!e) return [];
  return e.split('\n').map((l) => l.trim()).filter((l) => TIMEOUT_NOTE.test(l));
}

export const rule: Rule = {
  id: 'capture-incomplete',
  pattern: 'P21',
  catches: 'a capture that hung or lost rows: ps itself in D on an mm lock, collector timeouts, far fewer rows than loadavg counts',
  needsText: 'states of the capture\'s own ps (any ps with STAT/WCHAN), the collector\'s errors section, /proc/loadavg',
  missing(ctx) {
    const s = ctx.current;
    return hasStates(s) || timeoutNotes(s).length > 0 ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    // The capture's own tools in D, except a shell in a vfork wait for its child (killable, normal).
    const stuck = tasksInStates(s, 'D').filter((t) => !t.kernelOnly && cap.has(t.pid) && killableKind(t) !== 'vfork');
    const timeouts = timeoutNotes(s);
    const missing = missingRows(ctx);
    if (stuck.length === 0 && timeouts.length === 0 && !missing) return [];
    const d = dTasks(s);
    const stuckSet = new Set(stuck);
    const holders = causeOrder(s, d.filter((t) => !stuckSet.has(t) && isLockHolder(t)));
    const held = new Set(holders);
    const waiters = causeOrder(s, d.filter((t) => !stuckSet.has(t) && !held.has(t) && isMmWait(t)));
    const rest = causeOrder(s, d.filter((t) => !stuckSet.has(t) && !held.has(t) && !isMmWait(t)));
    const suspects = [...holders, ...waiters, ...rest];
    const ev: Evidence[] = [];
    for (const t of stuck.slice(0, 4)) ev.push(citeTask(s, t, `the capture's own ${describeTask(s, t)}${t.stack.length ? `; stack ${meaningfulFrames(t.stack).slice(0, 4).join(' ← ')}` : ''}`, 'wchan'));
    for (const line of timeouts.slice(0, 4)) ev.push({ text: `collector: ${line}` });
    if (missing) ev.push(missing.ev);
    for (const p of noCmdline(s).slice(0, 4)) ev.push(cite(s, p, `no command line for ${describeProcess(s, p)}: its /proc/${p.pid}/cmdline read nothing (its mm lock may be held)`, 'args'));
    for (const t of suspects.slice(0, 6)) ev.push(citeTask(s, t, `suspect: ${describeTask(s, t)}${held.has(t) ? ' — in D inside a page fault or on I/O: likely holds the mm lock the others wait for' : isMmWait(t) ? ' — waits on an mm lock or in a page fault' : ''}`, 'wchan'));
    if (suspects.length > 6) ev.push({ text: `… and ${suspects.length - 6} more D tasks` });
    const severity: FindingDraft['severity'] = stuck.length || timeouts.length ? 'high' : 'medium';
    const first = suspects[0];
    const title = stuck.length
      ? `The capture itself hung: ${stuck.slice(0, 2).map(taskLabel).join(', ')} stuck in D${stuck[0].wchan ? ` (${stuck[0].wchan})` : ''} — reading /proc blocks on a task's mm lock${first ? `; prime suspect ${taskLabel(first)}` : ''}`
      : timeouts.length
        ? `The capture timed out (${plural(timeouts.length, 'step')}) — rows may be missing${first ? `; prime suspect ${taskLabel(first)}` : ''}`
        : `The capture shows ${missing!.shown} of ${missing!.total} threads — rows are missing`;
    const suspectPid = first?.pid ?? 'PID';
    // The mm whose lock is held is the waiters' process (java 2), not the holder's (dd 6 reads java's memory).
    const lockedPid = holders.length && waiters.length ? waiters[0].pid : suspectPid;
    return [{
      severity,
      title,
      // The cause first: the lock holders, then the tasks queued on the lock, then the capture's own stuck tools.
      pids: uniquePids(holders.length ? [...holders, ...waiters, ...stuck, ...rest] : [...stuck, ...suspects]),
      summary: 'ps reads /proc/PID/cmdline and environ, which need the target process\'s mm lock. A task that holds it while stuck (a page fault on a hung filesystem, a memcg at its limit) blocks every reader, so ps, top and pgrep hang too. ' +
        'The process where ps stopped is the prime suspect. Read /proc/*/stat instead, which does not take the mm lock.',
      evidence: ev,
      next: [
        "timeout 10 strace -f -e trace=openat ps -eo pid,stat,args 2>&1 | tail -5   # the last /proc/PID it opened",
        `timeout 5 cat /proc/${lockedPid}/cmdline; echo $?   # 124 = blocked on the mm lock`,
        `cat /proc/${suspectPid}/stack /proc/${suspectPid}/wchan`,
        "for f in /proc/[0-9]*/stat; do timeout 1 cat $f; done 2>/dev/null | awk '$3==\"D\"'   # stat does not take the mm lock",
        'echo w > /proc/sysrq-trigger; dmesg -T | tail -200',
      ],
      rootCause: (first ? rootCauseOf(suspects.filter((t) => held.has(t) || isMmWait(t) || allFamilies(t).size > 0)) ?? rootCauseOf([first]) : undefined) ?? 'capture-hung',
      explains: stuck.length + suspects.length,
    }];
  },
};

/**
 * User processes printed as `[comm]` (ps prints the name in brackets when /proc/PID/cmdline reads
 * empty): not kernel threads (RSS > 0), not zombies, not a child caught between fork and exec
 * (`855 3 R - … 2 [sleep]`). Supporting evidence only.
 */
function noCmdline(s: Snapshot): Process[] {
  // RSS decides, not the kthread flag: a ps row `[cat]` is flagged as a kernel thread by its brackets alone.
  return s.processes.filter((p) => p.state === 'D' && (p.rssKiB ?? 0) > 0 &&
    /^\[[^\]]+\]$/.test((p.args ?? '').trim()) && (ageSec(p, s) ?? Infinity) > 5);
}

/** A whole-host capture with thread rows that shows at most half of loadavg's threads. */
function missingRows(ctx: RuleContext): { ev: Evidence; shown: number; total: number } | undefined {
  const s = ctx.current;
  if (isNamespaceSnapshot(s) || !s.counts.threadsShown) return undefined;
  // Only when (nearly) every process has its threads listed (ps -eL/-eLf), so the count is
  // comparable; the other listers of the capture (`ps aux` beside `ps -eLf`) show up in one file only.
  const cap = captureSet(s);
  const others = s.processes.filter((p) => !cap.has(p.pid));
  if (others.filter((p) => p.threads.length > 0).length < others.length * 0.95) return undefined;
  const r = loadReadings(ctx.ingest).filter((x) => x.totalTasks !== undefined).pop();
  if (!r) return undefined;
  const shown = s.counts.threads;
  if (shown > r.totalTasks! * 0.5) return undefined;
  return { shown, total: r.totalTasks!, ev: { text: `${shown} thread rows but /proc/loadavg counts ${r.totalTasks} threads`, input: r.input, line: r.line } };
}
