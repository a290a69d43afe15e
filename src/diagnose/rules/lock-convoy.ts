// P05 Lock convoy (D without I/O) — HIGH. Many D tasks on rwsem/mutex/semaphore slow paths and few
// on io_schedule, or the kernel naming the owner: "INFO: task A:P is blocked on a mutex likely owned
// by task B:Q". Waiters queue behind one holder, often itself in D on I/O; find the holder.
// A writer parked on a frozen filesystem waits in `percpu_rwsem_wait` (formats.md: "A frozen-
// filesystem writer showed `116 0 Ds percpu_rwsem_wait`").
import type { Evidence, KernelTask } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  missingStatesOrWaits,
  cite, argv0, captureSet, causeOrder, citeFirst, commonKey, describeProcess, dKeys, rootCauseOf, waitersOnPath, citeReport, citeTask, countNames, describeTask, dTasks, groupBy, isFrozen,
  meaningfulFrames, pidLookup, plural, primaryFamilies, procLabel, tasksOfProcess, taskLabel, uniquePids, waitSymbol, type Task,
} from '../facts.ts';

const MIN_WAITERS = 3;

function isLockWait(t: Task): boolean {
  if (primaryFamilies(t).includes('lock')) return true;
  // page fault → mmap lock: `do_page_fault`/`exc_page_fault` → `down_read` a few frames in.
  const f = meaningfulFrames(t.stack).slice(0, 4);
  return f.some((x) => /^(?:rwsem_down_|__mutex_lock|down_read|down_write|percpu_rwsem_wait)/.test(x));
}

function ownerOf(t: Task): KernelTask['lockOwner'] | undefined {
  for (const r of t.reports) if (r.lockOwner) return r.lockOwner;
  return undefined;
}

export const rule: Rule = {
  id: 'lock-convoy',
  pattern: 'P05',
  catches: 'lock convoy: many D tasks on rwsem/mutex/semaphore waits (few on I/O), or the kernel naming a lock owner',
  needsText: 'per-thread wchan or kernel stacks (ps -eLo pid,tid,stat,wchan:32,comm; /proc/*/task/*/stack); hung-task "blocked on a mutex" lines name the holder',
  missing: missingStatesOrWaits,
  evaluate(ctx) {
    const s = ctx.current;
    const d = dTasks(s).filter((t) => !isFrozen(t));
    const lockWaiters = d.filter((t) => isLockWait(t) || ownerOf(t) !== undefined);
    if (lockWaiters.length === 0) return [];
    const io = d.filter((t) => { const f = primaryFamilies(t); return f.includes('io') || f.includes('page-wait'); }).length;
    const out: FindingDraft[] = [];
    // Owners the kernel named: one finding per owner.
    // A task the kernel says owns its own lock (`zsh:470 … likely owned by task zsh:470`) deadlocked on
    // itself: that is one hung task, not a convoy (hung-task reports it).
    const byOwner = groupBy(lockWaiters, (t) => { const o = ownerOf(t); return o && o.pid !== t.tid ? String(o.pid) : null; });
    const claimed = new Set<Task>();
    for (const [ownerPid, waiters] of byOwner) {
      for (const w of waiters) claimed.add(w);
      out.push(finding(ctx, waiters, Number(ownerPid), io));
    }
    // Waiters without a blocker line (killable down_read is never reported) join the owner's convoy
    // when they wait on the same place (`ls /srv/shared` beside `stat /srv/shared/x`).
    let rest = lockWaiters.filter((t) => !claimed.has(t) && ownerOf(t)?.pid !== t.tid);
    if (out.length === 1 && rest.length > 0) {
      const ownerGroup = [...byOwner.values()][0];
      const shared = commonKey(ownerGroup);
      if (shared && shared.kind !== 'wchan' && shared.kind !== 'stack') {
        const joins = rest.filter((t) => dKeys(t).some((k) => k.key === shared.key));
        if (joins.length) {
          const ownerPid = Number([...byOwner.keys()][0]);
          out[0] = finding(ctx, [...ownerGroup, ...joins], ownerPid, io);
          rest = rest.filter((t) => !joins.includes(t));
        }
      }
    }
    if (rest.length >= MIN_WAITERS && rest.length >= io) {
      const bySym = groupBy(rest, (t) => waitSymbol(t) || 'lock');
      const top = [...bySym.values()].sort((a, b) => b.length - a.length)[0];
      out.push(finding(ctx, rest, undefined, io, top.length === rest.length ? waitSymbol(top[0]) : undefined));
    }
    return out;
  },
};

function finding(ctx: Parameters<Rule['evaluate']>[0], waiters: Task[], ownerPid: number | undefined, io: number, sym?: string): FindingDraft {
  const s = ctx.current;
  const tasks = causeOrder(s, waiters);
  const ownerKt = ownerPid !== undefined ? tasks.map(ownerOf).find((o) => o && o.pid === ownerPid) : undefined;
  const owner = ownerPid !== undefined ? pidLookup(s).get(ownerPid) : undefined;
  const ownerTasks = ownerPid !== undefined ? tasksOfProcess(s, ownerPid) : [];
  const pids = uniquePids(tasks);
  if (ownerPid !== undefined && !pids.includes(ownerPid) && owner) pids.unshift(ownerPid);
  else if (ownerPid !== undefined && owner) { pids.splice(pids.indexOf(ownerPid), 1); pids.unshift(ownerPid); }
  const frozen = tasks.some((t) => primaryFamilies(t).includes('fs-freeze'));
  const evidence: Evidence[] = [];
  evidence.push({ text: `${plural(tasks.length, 'task')} in D on lock waits (${countNames(tasks.map((t) => waitSymbol(t) || 'lock'), 3)}); ${io} D task${io === 1 ? '' : 's'} on I/O waits` });
  for (const t of tasks.slice(0, 10)) evidence.push(citeTask(s, t, describeTask(s, t), 'wchan'));
  const owned = tasks.flatMap((t) => t.reports.filter((r) => r.lockOwner).map((r) => ({ t, r, o: r.lockOwner! })));
  evidence.push(...citeFirst(owned, ({ t, r, o }) => citeReport(s, r, `kernel: task ${r.comm}:${r.pid} is blocked on a ${o.kind} likely owned by task ${o.comm}:${o.pid}`, t.pid),
    (n) => `… and ${n} more lock-owner lines`));
  const ownerState = ownerTasks.find((t) => t.state === 'D');
  if (owner) {
    const ownerWait = ownerTasks.find((t) => t.tid === owner.pid) ?? ownerTasks[0];
    const w = ownerWait ? waitSymbol(ownerWait) : '';
    evidence.push(cite(s, owner, `the owner ${procLabel(owner)} is ${owner.stat ?? owner.state ?? '?'}${w ? ` in ${w}` : ''}${ownerState ? ' — itself in D: fix what it waits on' : ''}`, 'stat'));
  }
  else if (ownerKt) evidence.push({ text: `the owner ${ownerKt.comm}:${ownerKt.pid} is not in this capture (its PID may be a host PID)` });
  else {
    // No blocker line: a process naming the same place and waiting on the filesystem itself is the
    // likely holder (`mkdir …/2026-11-26` S in request_wait_answer while ls/stat queue in D).
    const rc = rootCauseOf(tasks);
    if (rc?.startsWith('path:')) {
      const holder = waitersOnPath(s, rc.slice(5), new Set(tasks.map((t) => t.pid)), captureSet(s))
        .find((p) => !/^(?:df|du|ls|stat|find)$/.test(argv0(p.args)));
      if (holder) evidence.push(cite(s, holder, `likely holder (names the same path, waits on the filesystem itself): ${describeProcess(s, holder)}`, 'stat'));
    }
  }
  const first = tasks[0];
  const who = ownerKt ? `${ownerKt.comm} (${ownerKt.pid})` : undefined;
  return {
    severity: 'high',
    title: frozen
      ? `${plural(tasks.length, 'task')} blocked in ${sym ?? 'percpu_rwsem_wait'} — writers waiting on a frozen filesystem (${taskLabel(first)} first)`
      : `${plural(tasks.length, 'task')} in D queued on a kernel lock${who ? ` held by ${who}` : sym ? ` (${sym})` : ''} — lock convoy, not I/O`,
    pids,
    summary: (frozen
      ? 'The waiters sit in percpu_rwsem_wait from sb_start_write/mnt_want_write: the filesystem is frozen (fsfreeze -f, a snapshot tool, or a paused VM agent). Thaw it with fsfreeze -u. '
      : 'The tasks wait for a rwsem/mutex/semaphore, not for the disk: one holder keeps it, often itself stuck in D on I/O. Linux load counts these waits. ') +
      (who ? `The kernel names ${who} as the owner.` : 'Find the holder (blocker lines, SysRq-w, stacks); for the mmap lock, look at the sibling threads.'),
    evidence,
    next: [
      ...(ownerPid !== undefined ? [`cat /proc/${ownerPid}/stack; ps -L -o pid,tid,stat,wchan:32,comm -p ${ownerPid}`] : []),
      `cat /proc/${first.pid}/stack`,
      'echo w > /proc/sysrq-trigger; dmesg -T | tail -300   # all blocked tasks and lock holders',
      `ps -L -o pid,tid,stat,wchan:32,comm -p ${first.pid}   # mmap lock: who else in this process holds it`,
      ...(frozen ? ['findmnt -o TARGET,FSTYPE,OPTIONS; fsfreeze -u MOUNTPOINT   # only if it was frozen by mistake'] : []),
    ],
    // The place they queue on when they share one (so the D cluster and hung-task findings point at it too).
    rootCause: rootCauseOf(tasks) && !rootCauseOf(tasks)!.startsWith('wchan:') ? rootCauseOf(tasks)! : ownerPid !== undefined ? `lock-owner:${ownerPid}` : sym ? `wchan:${sym}` : 'lock',
    explains: tasks.length,
  };
}
