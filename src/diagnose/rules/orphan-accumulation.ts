// P13 Orphan accumulation (same command) under PID 1 or a subreaper — MED (≥10), HIGH near the
// memory limit. Live helpers whose parent died are adopted by the container's PID 1 or a subreaper
// (containerd-shim, `tini -s`, `systemd --user`); same cmdline, start times spread out, each holding
// RSS and FDs. Reference (process-notes.txt, kuryr-daemon-cni): "子进程使用的pyroute2包有问题 …
// 导致大量orphan process残留, 导致Pod oom". PPID 1 on a host is normal (every systemd service).
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, isKthread, argv0, CAPTURE, captureSet, cite, cmdKey, containerInitOf, describeProcess, fmtDuration, groupBy, growth,
  hasParents, isProbeHelper, orphanSeverity, pathDirs, pidList, pidLookup, plural, procLabel, shortArgs, subreaperKind, maxOf, minOf,
} from '../facts.ts';

const MIN = 10;
const SPREAD = 30; // seconds: helpers started together are a pool or a burst, not a leak

export const rule: Rule = {
  id: 'orphan-accumulation',
  pattern: 'P13',
  catches: 'many live orphans with one command line adopted by a container PID 1 or a subreaper, started over time (a leaking helper)',
  needsText: 'parent PIDs and command lines (ps -eo pid,ppid,etimes,rss,args); etimes or lstart show the spread',
  missing(ctx) {
    return hasParents(ctx.current) ? null : CAPTURE.parents;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const byPid = pidLookup(s);
    const cap = captureSet(s);
    const out: FindingDraft[] = [];
    for (const a of s.processes) {
      const kind = subreaperKind(s, a);
      if (!kind) continue;
      const kids = a.children.map((c) => byPid.get(c)).filter((c): c is Process =>
        c !== undefined && c.state !== 'Z' && c.state !== 'X' && !cap.has(c.pid) && !isKthread(s, c) && !containerInitOf(s, c.pid));
      for (const [key, group] of groupBy(kids, cmdKey)) {
        if (group.length < MIN || key === cmdKey(a)) continue;
        if (group.every(isProbeHelper)) continue; // probe-pileup explains those
        const ages = group.map((p) => ageSec(p, s));
        const known = ages.filter((x): x is number => x !== undefined);
        const spread = known.length >= 2 ? maxOf(known) - minOf(known) : undefined;
        if (spread !== undefined && spread < SPREAD) continue;
        out.push(finding(ctx.snapshots, s, a, kind, group, spread));
      }
    }
    return out;
  },
};

function finding(snapshots: readonly Snapshot[], s: Snapshot, a: Process, kind: string, group: Process[], spread: number | undefined): FindingDraft {
  const ordered = [...group].sort((x, y) => (ageSec(y, s) ?? -1) - (ageSec(x, s) ?? -1) || x.pid - y.pid);
  const key = cmdKey(ordered[0]);
  const rss = group.reduce((n, p) => n + (p.rssKiB ?? 0), 0);
  const memTotal = s.meta.memKiB?.total;
  const nearLimit = memTotal !== undefined && rss > 0 && rss >= 0.5 * memTotal;
  // Counts per moment only say something with two moments or more (growth of one value is never growing).
  const counts = snapshots.length < 2 ? [] : snapshots.map((snap) => {
    const par = pidLookup(snap).get(a.pid);
    if (!par) return 0;
    const m = pidLookup(snap);
    return par.children.filter((c) => { const p = m.get(c); return p !== undefined && p.state !== 'Z' && cmdKey(p) === key; }).length;
  });
  const g = growth(counts);
  const evidence: Evidence[] = [
    cite(s, a, `adopter (${kind === 'container-init' ? "the container's PID 1" : kind === 'shim' ? 'containerd-shim, a subreaper' : 'a subreaper'}): ${describeProcess(s, a)}`, 'args'),
    { text: `${plural(group.length, 'live child', 'live children')} with the same command \`${shortArgs(key, 80)}\`: ${pidList(ordered.map((p) => p.pid))}` },
  ];
  if (spread !== undefined) evidence.push({ text: `started over ${fmtDuration(spread)} (oldest up ${fmtDuration(ageSec(ordered[0], s) ?? 0)}, newest ${fmtDuration(ageSec(ordered[ordered.length - 1], s) ?? 0)})` });
  else evidence.push({ text: 'no start times in the input: the spread is not verified (add lstart or etimes)' });
  if (rss > 0) evidence.push({ text: `together ${Math.round(rss / 1024)} MiB RSS${memTotal ? ` (${((100 * rss) / memTotal).toFixed(1)}% of memory)` : ''}` });
  if (g.growing) evidence.push({ text: `count across moments: ${counts.join(' → ')} (growing)` });
  for (const p of ordered.slice(0, 3)) evidence.push(cite(s, p, describeProcess(s, p), 'args'));
  // Who may be starting them: a live process running the same program from the same place.
  const a0 = argv0(ordered[0].args);
  const dirs = new Set(pathDirs(ordered[0].args));
  const inGroup = new Set(group.map((p) => p.pid));
  // A row whose command line does not contain a0 cannot have it as argv0: skip it without copying a name.
  const origin = a0 === '' ? undefined : s.processes.find((p) => p.args?.includes(a0) && !inGroup.has(p.pid) && p.state !== 'Z' && argv0(p.args) === a0 && pathDirs(p.args).some((d) => dirs.has(d)));
  if (origin) evidence.push(cite(s, origin, `likely starter (same program and directory): ${describeProcess(s, origin)}`, 'args'));
  return {
    severity: nearLimit ? 'high' : orphanSeverity(group.length) ?? 'medium',
    title: `${group.length} orphaned \`${shortArgs(key, 60)}\` adopted by ${procLabel(a)}${spread !== undefined ? ` over ${fmtDuration(spread)}` : ''} — a helper leak`,
    pids: ordered.map((p) => p.pid),
    summary: `Helpers with one command line keep piling up under ${kind === 'container-init' ? "the container's PID 1" : 'a subreaper'}: their parent exited or lost track of them, and each still holds memory and file descriptors. Left alone they grow toward the memory limit (the kuryr-daemon-cni case ended in OOM). Kill them, fix the parent that starts them, restart the pod.`,
    evidence,
    next: [
      `ps -eo pid,ppid,etimes,rss,args --sort=start_time | grep -F '${shortArgs(key, 60).replace(/'/g, "'\\''")}'`,
      `ls -l /proc/${ordered[0].pid}/fd | grep -c 'net:\\['`,
      'lsns -t net',
      `kill ${ordered.slice(0, 20).map((p) => p.pid).join(' ')}${ordered.length > 20 ? ' …' : ''}   # after fixing the parent that starts them`,
    ],
    rootCause: `orphans:${key}`,
    explains: group.length,
  };
}
