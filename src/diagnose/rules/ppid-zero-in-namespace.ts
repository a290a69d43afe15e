// P17 PPID 0 inside a container namespace — INFO. In a PID namespace, getppid() returns 0 when the
// parent lives outside it: `kubectl exec`/`docker exec`/`nsenter` shells (`4 0 S do_wait bash
// /tmp/s2/case10-cap.sh`). Their real parent is runc or the shim. These are not orphans.
// Quiet: PID 1 (the namespace init), and every PPID 0 on a host (PID 1 and kthreadd, PID 2, have
// PPID 0 there by design). Escalated to LOW when several are long-lived (a probe/exec pile-up,
// P14) or when their children were orphaned onto a non-reaping PID 1 (P09).
import type { Evidence, IngestResult, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule } from '../types.ts';
import {
  ageSec, argv0, CAPTURE, captureSet, cite, containerInitOf, countNames, describeProcess, fmtDuration, hasParents,
  isNamespaceSnapshot, pidLookup, plural, procLabel, procName,
} from '../facts.ts';

const LONG_LIVED = 3600;

export const rule: Rule = {
  id: 'ppid-zero-in-namespace',
  pattern: 'P17',
  catches: 'processes other than PID 1 with PPID 0 inside a PID namespace: entered from outside (kubectl/docker exec, nsenter), not orphans',
  needsText: 'parent PIDs from inside the namespace (ps -ef, ps -eo pid,ppid,etimes,args); the host /proc/PID/status NSpid maps them to host PIDs',
  missing(ctx) {
    return hasParents(ctx.current) ? null : CAPTURE.parents;
  },
  evaluate(ctx) {
    const s = ctx.current;
    if (!isNamespaceSnapshot(s)) return [];
    const cap = captureSet(s);
    // The capture's own ps may be exec'd straight into the namespace (`kubectl exec pod -- ps aux`):
    // that is the SRE's tool, not a finding. The shell that runs the capture is an entered shell all the same.
    const entered = s.processes.filter((p) => p.ppid === 0 && p.pid !== 1 && !cap.has(p.pid));
    if (entered.length === 0) return [];
    return [finding(s, entered, hostViews(ctx.ingest))];
  },
};

interface HostView { hostPid: number; hostPpid?: number; input: string; line: number }

/**
 * The host's /proc/PID/status of a namespace process (`NSpid:	16593	2`, `PPid:	16591`): its
 * host PID and real parent, keyed by the innermost (namespace) PID.
 */
function hostViews(ingest: IngestResult): Map<number, HostView> {
  const out = new Map<number, HostView>();
  for (const c of ingest.captures) {
    for (const r of c.rows) {
      const ns = r.nspid;
      if (!ns || ns.length < 2 || out.has(ns[ns.length - 1])) continue;
      out.set(ns[ns.length - 1], { hostPid: ns[0], ...(r.ppid !== undefined ? { hostPpid: r.ppid } : {}), input: c.input, line: r.line });
    }
  }
  return out;
}

function finding(s: Snapshot, entered: Process[], hosts: Map<number, HostView>): FindingDraft {
  const byPid = pidLookup(s);
  const ev: Evidence[] = [];
  for (const p of entered.slice(0, 10)) {
    const hv = hosts.get(p.pid);
    const hostPid = p.hostPid ?? hv?.hostPid;
    const host = hostPid !== undefined && hostPid !== p.pid ? `; host PID ${hostPid} (NSpid ${hostPid} ${p.pid})${hv?.hostPpid !== undefined ? `, real parent on the host: PID ${hv.hostPpid}` : ''}` : '';
    const kids = p.children.map((c) => byPid.get(c)).filter((c): c is Process => c !== undefined);
    const kidText = kids.length ? `; children: ${kids.slice(0, 4).map(procLabel).join(', ')}${kids.length > 4 ? ' …' : ''}` : '';
    ev.push(cite(s, p, `PPID 0: ${describeProcess(s, p)}${host}${kidText}`, 'ppid'));
  }
  if (entered.length > 10) ev.push({ text: `… and ${entered.length - 10} more` });
  const one = byPid.get(1);
  if (one) ev.push(cite(s, one, `the namespace's PID 1 is ${describeProcess(s, one)}`, 'ppid'));

  // Escalations (P17 → P14, P09).
  const old = entered.filter((p) => (ageSec(p, s) ?? 0) >= LONG_LIVED);
  const init = containerInitOf(s, 1);
  const zombiesOnInit = one && init && init.goodInit === null
    ? one.children.map((c) => byPid.get(c)).filter((c): c is Process => c !== undefined && c.state === 'Z')
    : [];
  let severity: FindingDraft['severity'] = 'info';
  const notes: string[] = [];
  if (old.length >= 5) {
    severity = 'low';
    notes.push(`${old.length} of them are older than ${fmtDuration(LONG_LIVED)}: exec sessions or probes that never finish pile up (see probe-pileup)`);
    ev.push({ text: `${plural(old.length, 'entered process', 'entered processes')} older than 1h: ${countNames(old.map(procName))}` });
  }
  if (zombiesOnInit.length > 0) {
    severity = 'low';
    notes.push(`PID 1 (${procLabel(one!)}) does not reap and already has ${plural(zombiesOnInit.length, 'zombie child', 'zombie children')}: children of exec sessions that end up orphaned land there (see zombies-under-container-init)`);
    ev.push({ text: `zombies under PID 1: ${zombiesOnInit.slice(0, 8).map((z) => z.pid).join(', ')}`, pid: one!.pid });
  }
  const names = entered.slice(0, 3).map(procLabel).join(', ') + (entered.length > 3 ? ' …' : '');
  const shells = entered.filter((p) => /^(?:ba|da|z|k|a)?sh$/.test(argv0(p.args) || procName(p))).length;
  return {
    severity,
    title: `${names}: PPID 0 inside the namespace — entered from outside (kubectl/docker exec or nsenter), not orphans`,
    pids: entered.map((p) => p.pid),
    summary: `${plural(entered.length, 'process', 'processes')}${shells ? ` (${plural(shells, 'shell')})` : ''} show PPID 0 because their parent is outside this PID namespace: ` +
      'getppid() returns 0 then. They were entered with setns (docker exec, kubectl exec, nsenter); the real parent is runc or the containerd shim on the host. Nothing to fix by itself.' +
      (notes.length ? ` But: ${notes.join('; ')}.` : ''),
    evidence: ev,
    next: [
      'ps -afe --forest | grep -B2 -A6 containerd-shim   # on the host: the real parents',
      `grep -E 'NSpid|PPid' /proc/HOST_PID/status   # on the host; NSpid maps host PID to ${entered[0].pid} here`,
      ...(entered.length ? [`ps -o pid,ppid,stat,etimes,args -p ${entered.slice(0, 10).map((p) => p.pid).join(',')}`] : []),
    ],
    rootCause: 'entered-from-outside',
    explains: entered.length,
  };
}
