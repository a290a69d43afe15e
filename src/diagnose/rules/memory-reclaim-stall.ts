// P07 Memory-pressure stalls — HIGH. D/R tasks in direct reclaim or dirty-page throttling
// (`__alloc_pages_slowpath`, `try_to_free_pages`, `shrink_*`, `throttle_direct_reclaim`,
// `balance_dirty_pages`, `mem_cgroup_*`), kswapd busy, little memory left. It looks like an I/O hang,
// but the root cause is memory. One task briefly in balance_dirty_pages is normal write throttling,
// so it takes ≥3 such tasks, or one with kswapd busy or memory nearly gone.
import type { Evidence, Process } from '../../model/index.ts';
import type { Rule } from '../types.ts';
import {
  missingStatesOrWaits,
  cite, allFamilies, captureSet, causeOrder, citeTask, countNames, describeProcess, describeTask,   isIdleKernelWait, meaningfulFrames, plural, procName, stackLine, tasksInStates, taskLabel, uniquePids, waitSymbol, type Task,
} from '../facts.ts';

const KSWAPD_BUSY = 20; // %CPU (inference: kswapd is normally near 0)

export const rule: Rule = {
  id: 'memory-reclaim-stall',
  pattern: 'P07',
  catches: 'memory-pressure stalls: tasks in direct reclaim / dirty throttling (try_to_free_pages, shrink_*, balance_dirty_pages), kswapd busy',
  needsText: 'per-thread wchan or kernel stacks (ps -eLo pid,tid,stat,wchan:32,comm; /proc/PID/stack); top or free for memory',
  missing: missingStatesOrWaits,
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const stalled: Task[] = [];
    for (const t of tasksInStates(s, 'DR')) {
      if (!t.kernelOnly && cap.has(t.pid)) continue;
      if (isIdleKernelWait(t) || /^\[?kswapd/.test(t.comm)) continue;
      if (allFamilies(t).has('reclaim')) stalled.push(t);
    }
    if (stalled.length === 0) return [];
    const kswapd: Process[] = s.processes.filter((p) => /^kswapd/.test(procName(p)) && p.state === 'R' && (p.pcpu ?? 0) >= KSWAPD_BUSY);
    const mem = s.meta.memKiB;
    const availPct = mem?.total && mem.avail !== undefined ? (100 * mem.avail) / mem.total : undefined;
    const memLow = availPct !== undefined && availPct < 10;
    if (stalled.length < 3 && kswapd.length === 0 && !memLow) return [];
    const tasks = causeOrder(s, stalled);
    const first = tasks[0];
    const evidence: Evidence[] = [{ text: `${plural(tasks.length, 'task')} in reclaim or dirty throttling: ${countNames(tasks.map((t) => waitSymbol(t) || 'reclaim'), 3)}` }];
    for (const t of tasks.slice(0, 10)) evidence.push(citeTask(s, t, describeTask(s, t), 'wchan'));
    const ws = tasks.find((t) => t.stack.length > 0);
    if (ws) evidence.push(citeTask(s, ws, `kernel stack of ${taskLabel(ws)}: ${stackLine(meaningfulFrames(ws.stack), 6)}`, 'stack'));
    for (const k of kswapd) evidence.push(cite(s, k, `kswapd busy: ${describeProcess(s, k)} at ${k.pcpu}% CPU`, 'pcpu'));
    if (availPct !== undefined) evidence.push({ text: `memory available: ${availPct.toFixed(1)}% of ${Math.round((mem!.total ?? 0) / 1024)} MiB` });
    const dirty = tasks.filter((t) => allFamilies(t).has('reclaim') && /balance_dirty_pages/.test(waitSymbol(t))).length;
    return [{
      severity: 'high',
      title: `${plural(tasks.length, 'task')} stalled in memory reclaim${dirty === tasks.length ? ' (dirty-page throttling)' : ''} — ${taskLabel(first)} first; the cause is memory, not I/O`,
      pids: uniquePids(tasks),
      summary: 'Tasks are sleeping in direct reclaim or dirty-page throttling: allocations wait for memory to be freed or written back. It looks like an I/O hang, but the root cause is memory pressure (host or cgroup limit).',
      evidence,
      next: [
        'free -m',
        'cat /proc/pressure/memory /proc/pressure/io',
        'vmstat 1 5   # b, si/so, wa',
        "grep -E 'Dirty|Writeback|MemAvailable' /proc/meminfo",
        'ps aux --sort=-rss | head -15',
        `cat /proc/${first.pid}/stack; cat /proc/${first.pid}/cgroup`,
      ],
      rootCause: 'memory-pressure',
      explains: tasks.length,
    }];
  },
};
