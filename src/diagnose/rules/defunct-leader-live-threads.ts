// P12 "Defunct" leader with live threads — HIGH. A Z row that is not dead: `Zl`, NLWP > 1, RSS > 0,
// or ps -L showing the leader Z while other threads are D/R. The main thread exited but another
// thread (often stuck in D) keeps the process, its memory and its sockets alive; killing the
// parent changes nothing. ("Zombie ≠ process is gone when it is a thread-group leader with live threads.")
import type { Evidence } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  CAPTURE, captureSet, cite, citeTask, describeTask, hasStates, isDefunctLeaderWithThreads, plural, procLabel,
  rootCauseOf, tasksOfProcess, waitSymbol,
} from '../facts.ts';

export const rule: Rule = {
  id: 'defunct-leader-live-threads',
  pattern: 'P12',
  catches: 'a Z (defunct) thread-group leader whose other threads still live (Zl, NLWP > 1, RSS > 0, or D/R threads in ps -L)',
  needsText: 'STAT with BSD flags (ps aux: Zl) or NLWP/RSS, best with threads (ps -eLo pid,tid,stat,wchan:32,comm)',
  missing(ctx) {
    return hasStates(ctx.current) ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const out: FindingDraft[] = [];
    for (const p of s.processes) {
      if (!isDefunctLeaderWithThreads(p) || cap.has(p.pid)) continue;
      const live = tasksOfProcess(s, p.pid).filter((t) => t.tid !== p.pid && t.state !== 'Z' && t.state !== 'X');
      const dThreads = live.filter((t) => t.state === 'D');
      const evidence: Evidence[] = [cite(s, p, `${procLabel(p)} STAT ${p.stat ?? p.state}${p.nlwp !== undefined ? `, ${p.nlwp} threads` : ''}${p.rssKiB ? `, RSS ${p.rssKiB} KiB` : ''}: the leader exited, the process did not`, 'stat')];
      for (const t of live.slice(0, 8)) evidence.push(citeTask(s, t, `live thread ${describeTask(s, t)}`, 'stat'));
      if (live.length === 0) evidence.push({ text: 'threads not shown: capture ps -L to see which thread keeps it alive' });
      const d = dThreads[0];
      out.push({
        severity: 'high',
        title: `${procLabel(p)} is defunct but ${live.length ? plural(live.length, 'thread') : 'other threads'} still live${d ? ` (${plural(dThreads.length, 'thread')} in D${waitSymbol(d) ? ` on ${waitSymbol(d)}` : ''})` : ''} — the process is not gone`,
        pids: [p.pid],
        summary: 'The main thread exited, so ps shows Z, but another thread keeps the process, its memory and its sockets alive. Killing or restarting the parent changes nothing; deal with the live thread (usually stuck in D: fix what it waits on).',
        evidence,
        next: [
          `ps -L -o pid,tid,stat,wchan:32,comm -p ${p.pid}`,
          `cat /proc/${p.pid}/task/*/stack`,
          `grep -E 'State|Threads|VmRSS' /proc/${p.pid}/status`,
          `ls -l /proc/${p.pid}/fd | head   # sockets and files it still holds`,
        ],
        ...(d ? { rootCause: rootCauseOf([d]) } : {}),
        explains: 1,
      });
    }
    return out;
  },
};
