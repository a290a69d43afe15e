// P09 Zombies under a non-reaping container PID 1 — MED (≥5 persistent), HIGH (≥50 or growing).
// Orphans are reparented to the namespace init; an application running as PID 1 (java, node,
// python, etcd, postgres…) never wait()s for them (process-notes: "不用dumb-init, 容器业务进程就是
// PID 1 … responsible for wait()-ing on orphaned zombie processes"). Exec probes leave such orphans.
// A PID 1 in D is P10's (the D is the cause); a host PID 1 is never a container init here.
import type { Evidence } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, missingStatesOrParents, cite, containerInits, countNames, describeProcess, fmtDuration, isProbeHelper,
  pidList, plural, procName, tasksOfProcess, zombiesByParent, zombieSeverity, zombieTrend,
} from '../facts.ts';

export const rule: Rule = {
  id: 'zombies-under-container-init',
  pattern: 'P09',
  catches: "zombies piling up under a container's PID 1 that is an application, not a reaping init (tini, dumb-init, /pause…)",
  needsText: 'states and parent PIDs inside the container (ps -eo pid,ppid,stat,etimes,comm,args) or a host ps with containerd-shim',
  missing: missingStatesOrParents,
  evaluate(ctx) {
    const s = ctx.current;
    const out: FindingDraft[] = [];
    for (const ci of containerInits(s)) {
      const zombies = zombiesByParent(s).get(ci.pid);
      if (!zombies || zombies.length === 0) continue;
      const main = tasksOfProcess(s, ci.pid).find((t) => t.tid === ci.pid);
      if ((main?.state ?? ci.proc.state) === 'D') continue; // P10: the D parent is the cause
      const trend = zombieTrend(ctx.ingest, ctx.snapshots, s, ci.proc, zombies);
      if (trend.persistent === false) continue; // transient zombies are normal
      const severity = zombieSeverity(zombies.length, trend.persistent, trend.growing);
      const names = countNames(zombies.map(procName));
      const named = names ? ` (${names})` : '';
      const probes = zombies.filter(isProbeHelper).length;
      const evidence: Evidence[] = [
        cite(s, ci.proc, `${ci.via === 'namespace' ? 'PID 1 of this PID namespace' : `container init under the shim ${ci.shimPid}`}: ${describeProcess(s, ci.proc)}${ci.goodInit ? ` (${ci.goodInit} normally reaps: it may be broken or replaced)` : ' — an application, not an init that reaps'}`, 'args'),
        { text: `${plural(zombies.length, 'zombie child', 'zombie children')}${named}: ${pidList(zombies.map((z) => z.pid))}` },
      ];
      const ages = zombies.map((z) => ageSec(z, s)).filter((a): a is number => a !== undefined).sort((a, b) => a - b);
      if (ages.length >= 2) {
        const gaps = ages.slice(1).map((a, i) => a - ages[i]).filter((g) => g > 0);
        const med = gaps.length ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] : undefined;
        evidence.push({ text: `started over ${fmtDuration(ages[ages.length - 1] - ages[0])}${med !== undefined ? `, about one every ${fmtDuration(med)} (a probe period?)` : ''}` });
      }
      if (probes) evidence.push({ text: `${probes} look like probe/exec helpers: exec probes and docker/kubectl exec leave orphans that PID 1 inherits` });
      if (trend.counts.length > 1) evidence.push({ text: `zombie count across moments: ${trend.counts.join(' → ')}${trend.growing ? ' (growing)' : ''}` });
      if (trend.persistent === undefined) evidence.push({ text: 'one capture and no zombie ages: persistence not verified (capture twice, or add etimes)' });
      for (const z of zombies.slice(0, 3)) evidence.push(cite(s, z, describeProcess(s, z), 'stat'));
      const who = `${procName(ci.proc)} (${ci.via === 'namespace' ? 'PID 1' : `PID ${ci.pid}, PID 1 in its container`})`;
      out.push({
        severity,
        title: `${who} does not reap: ${plural(zombies.length, 'zombie child', 'zombie children')}${named}`,
        pids: [ci.pid, ...zombies.map((z) => z.pid)],
        summary: `Orphans in a container are reparented to its PID 1. ${ci.goodInit ? `${ci.goodInit} should reap them, so it may be misconfigured or a broken image.` : `${procName(ci.proc)} is an application, not an init: it never wait()s for children it did not start.`} Zombies cost only PIDs, but they pile up until the container "can't fork". Fix: run an init (tini, dumb-init, docker run --init) or shareProcessNamespace: true; prefer http/tcp probes. Restarting the container clears them now; the zombies themselves cannot be killed.`,
        evidence,
        next: [
          `ps -eo pid,ppid,stat,etimes,comm | awk '$3~/^Z/'`,
          `cat /proc/${ci.pid}/cmdline | tr '\\0' ' '; echo`,
          `ps -o pid,stat,etimes,args -p ${ci.pid}`,
          'fix: ENTRYPOINT ["tini", "--", …] or ["dumb-init", "--", …], `docker run --init`, or pod `shareProcessNamespace: true`',
          'short term: restart the container (kubectl delete pod POD, docker restart CONTAINER)',
        ],
        rootCause: `no-reaper:${ci.pid}`,
        explains: 1 + zombies.length,
      });
    }
    return out;
  },
};
