// P11 Zombies under a live host parent — LOW→MED. Z children of a parent that is running or
// sleeping (not in D: P10; not a container's PID 1: P09; not PID 1 on a host), persistent or
// old: the parent ignores SIGCHLD or never wait()s. Costs only PIDs, but it is an application bug.
// Quiet: transient zombies (one sample, age ≈ 0), zombies of the capture's own pipeline.
import type { Evidence } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, missingStatesOrParents, captureSet, cite, containerInitOf, countNames, describeProcess, fmtDuration, 
  pidList, pidLookup, plural, procLabel, procName, tasksOfProcess, zombiesByParent, zombieSeverity, zombieTrend, maxOf,
} from '../facts.ts';

export const rule: Rule = {
  id: 'zombies-under-live-parent',
  pattern: 'P11',
  catches: 'zombies whose parent is alive (S/R/T) and never reaps them: an application that ignores SIGCHLD',
  needsText: 'states and parent PIDs (ps -eo pid,ppid,stat,etimes,args); two captures or etimes prove persistence',
  missing: missingStatesOrParents,
  evaluate(ctx) {
    const s = ctx.current;
    const byPid = pidLookup(s);
    const cap = captureSet(s);
    const out: FindingDraft[] = [];
    for (const [ppid, zombies] of zombiesByParent(s)) {
      if (ppid <= 1) continue; // PID 1 on a host reaps; a container's PID 1 is P09's
      const parent = byPid.get(ppid);
      if (!parent || cap.has(ppid) || containerInitOf(s, ppid)) continue;
      const main = tasksOfProcess(s, ppid).find((t) => t.tid === ppid);
      const state = main?.state ?? parent.state;
      if (state === null || state === 'D' || state === 'Z' || state === 'X') continue;
      const trend = zombieTrend(ctx.ingest, ctx.snapshots, s, parent, zombies);
      if (trend.persistent === false) continue;
      const sev = zombieSeverity(zombies.length, trend.persistent, trend.growing);
      // P11 tops out at MED: zombies cost only PIDs. With one moment and no ages the zombies may be
      // reaped milliseconds later (§4 "transient zombies … only persistent or growing ones count"):
      // at most LOW until a second capture or etimes shows they stay.
      const severity: FindingDraft['severity'] = trend.persistent === undefined ? 'low' : sev === 'high' ? 'medium' : sev;
      const names = countNames(zombies.map(procName));
      const named = names ? ` (${names})` : '';
      const ages = zombies.map((z) => ageSec(z, s)).filter((a): a is number => a !== undefined);
      const oldest = ages.length ? maxOf(ages) : undefined;
      const stopped = state === 'T' || state === 't';
      const evidence: Evidence[] = [
        cite(s, parent, `parent ${describeProcess(s, parent)}${stopped ? ' — stopped, so it cannot reap until continued' : ''}`, 'stat'),
        { text: `${plural(zombies.length, 'zombie child', 'zombie children')}${named}: ${pidList(zombies.map((z) => z.pid))}${oldest !== undefined ? `, oldest ${fmtDuration(oldest)}` : ''}` },
      ];
      for (const z of zombies.slice(0, 3)) evidence.push(cite(s, z, describeProcess(s, z), 'stat'));
      if (trend.counts.length > 1) evidence.push({ text: `zombie count across moments: ${trend.counts.join(' → ')}${trend.growing ? ' (growing)' : ''}` });
      if (trend.persistent === undefined) evidence.push({ text: 'one capture and no zombie ages: persistence not verified (capture again in a minute, or add etimes)' });
      out.push({
        severity,
        title: `${procLabel(parent)} never reaps its ${plural(zombies.length, 'zombie child', 'zombie children')}${named}${oldest !== undefined ? ` — oldest ${fmtDuration(oldest)}` : ''}`,
        pids: [ppid, ...zombies.map((z) => z.pid)],
        summary: `The parent is ${stopped ? 'stopped' : 'alive'} but has not wait()ed for children that exited: it ignores SIGCHLD or forgets to reap. Zombies hold only a PID and an exit status; the fix is in the parent, not the zombies (they cannot be killed).`,
        evidence,
        next: [
          `ps -o pid,stat,etimes,args -p ${ppid}`,
          `grep -E 'SigIgn|SigCgt' /proc/${ppid}/status`,
          ...(stopped ? [`kill -CONT ${ppid}   # it is stopped; continued, it may reap`] : []),
          `kill -s SIGCHLD ${ppid}   # a nudge; many programs ignore it`,
          `restart ${procName(parent)} (${ppid}): its zombies are then adopted and reaped by init`,
        ],
        rootCause: `no-reaper:${ppid}`,
        explains: 1 + zombies.length,
      });
    }
    return out;
  },
};
