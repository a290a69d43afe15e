// P14 Probe/exec pile-up (identical live helpers) — HIGH. Dozens to thousands of identical probe or
// exec helpers (`pgha-liveness.sh`, `pg_isready`, `psql`, `curl`, `runc exec`) in S or D, ages
// spanning many probe periods: the probes hang on a dependency (storage, a DB lock); before
// Kubernetes 1.20 exec-probe timeouts were not enforced. A public case counted 13-14k of them.
import type { Evidence, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, isKthread, CAPTURE, captureSet, cite, cmdKey, countNames, describeTask, dTasks, fmtDuration, groupBy, hasStates,
  isProbeHelper, pidList, pidLookup, plural, procLabel, rootCauseOf, shortArgs, tasksOfProcess, waitSymbol, maxOf, minOf,
} from '../facts.ts';

const MIN = 10;
const SPREAD = 30; // seconds; a burst started at once is a fork storm (P15), not a pile-up

export const rule: Rule = {
  id: 'probe-pileup',
  pattern: 'P14',
  catches: 'dozens or more identical probe/exec helpers (liveness scripts, pg_isready, curl, runc exec) alive at once, started over many probe periods',
  needsText: 'states and command lines (ps -eo pid,ppid,stat,etimes,wchan:32,args)',
  missing(ctx) {
    return hasStates(ctx.current) ? null : CAPTURE.states;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const live = s.processes.filter((p) => (p.state === 'S' || p.state === 'D' || p.state === 'R') && !cap.has(p.pid) && !isKthread(s, p) && isProbeHelper(p));
    const out: FindingDraft[] = [];
    for (const [key, group] of groupBy(live, cmdKey)) {
      if (group.length < MIN) continue;
      const ages = group.map((p) => ageSec(p, s)).filter((a): a is number => a !== undefined);
      const spread = ages.length >= 2 ? maxOf(ages) - minOf(ages) : undefined;
      if (spread !== undefined && spread < SPREAD) continue;
      out.push(finding(s, key, group, spread));
    }
    return out;
  },
};

function finding(s: Snapshot, key: string, group: ReturnType<Snapshot['processes']['filter']>, spread: number | undefined): FindingDraft {
  const ordered = [...group].sort((a, b) => (ageSec(b, s) ?? -1) - (ageSec(a, s) ?? -1) || a.pid - b.pid);
  const oldest = ordered[0];
  const inD = new Set(dTasks(s).map((t) => t.pid));
  const dCount = group.filter((p) => inD.has(p.pid)).length;
  const oldestTask = tasksOfProcess(s, oldest.pid).find((t) => t.state === 'D') ?? tasksOfProcess(s, oldest.pid)[0];
  const parents = countNames(group.map((p) => { const par = p.ppid !== null ? pidLookup(s).get(p.ppid) : undefined; return par ? procLabel(par) : `PPID ${p.ppid ?? '?'}`; }), 3);
  const evidence: Evidence[] = [
    { text: `${plural(group.length, 'identical live helper')} \`${shortArgs(key, 80)}\`: ${pidList(ordered.map((p) => p.pid))}` },
    { text: `states: ${countNames(group.map((p) => p.state ?? '?'))}${dCount ? ` — ${dCount} in D` : ''}; parents: ${parents}` },
  ];
  if (spread !== undefined) evidence.push({ text: `ages span ${fmtDuration(spread)} (oldest ${fmtDuration(ageSec(oldest, s) ?? 0)}): they are not finishing` });
  if (oldestTask) evidence.push(cite(s, oldest, `oldest: ${describeTask(s, oldestTask)}`, 'wchan'));
  const w = oldestTask ? waitSymbol(oldestTask) : '';
  return {
    severity: 'high',
    title: `${plural(group.length, 'hanging probe')} \`${shortArgs(key, 60)}\`${spread !== undefined ? ` piled up over ${fmtDuration(spread)}` : ''}${w ? ` — the oldest waits in ${w}` : ''}`,
    pids: ordered.map((p) => p.pid),
    summary: 'Probe or exec helpers are not finishing, so a new one starts every probe period and they pile up. They hang on a dependency (storage, a DB lock, the network). Find what the oldest waits on and fix that; then set probe timeouts and prefer http/tcp probes over exec.',
    evidence,
    next: [
      `cat /proc/${oldest.pid}/stack /proc/${oldest.pid}/wchan`,
      `strace -f -p ${oldest.pid} -e trace=network,read,write,connect   # what it waits for`,
      `ps -eo pid,ppid,stat,etimes,wchan:32,args --sort=start_time | grep -F '${shortArgs(key, 60).replace(/'/g, "'\\''")}' | head`,
      'kubectl get pod POD -o jsonpath="{.spec.containers[*].livenessProbe}"   # timeoutSeconds, periodSeconds',
    ],
    rootCause: (oldestTask && oldestTask.state === 'D' ? rootCauseOf([oldestTask]) : undefined) ?? `probe:${key}`,
    explains: group.length,
  };
}
