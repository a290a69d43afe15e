// P28 PVC stage/mount chain stuck — HIGH. Old `mount`/`rbd map`/`mkfs`/`fsck`/`blkid` under kubelet
// or a `csi-*plugin` (`29512 29511 D fuse_direct_IO … 84 mount -t ext4 -o rw,_netdev,defaults /dev/rbd0
// /var/lib/kubelet/plugins/kubernetes.io/csi/rbd.csi.ceph.com/…/globalmount/0001-0009-rook-ceph-…`
// under `29511 … csi-rbdplugin --nodeid=node-1 --type=rbd …`), or naming a kubelet/CSI volume path.
// A stale stage operation holds the per-volume lock, so every retry aborts ("operation with the given
// Volume ID already exists") and the pod stays ContainerCreating with FailedMount (rook#4896, #12090).
// HIGH when a step is in D and not passing; MED when the steps only sleep (S) for over a minute.
// Quiet: storage tools outside kubelet/CSI (an admin's fsck on /dev/rbd3 is rbd-io-hang's), young steps.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  ageSec, ancestry, argv0, CAPTURE, captureSet, causeOrder, cite, citeReport, citeTask, describeProcess, describeTask,
  devicesInArgs, dPersistence, fmtDuration, groupBy, hasStates, isKthread, pidLookup, procLabel, procName, provides,
  rootCauseOf, tasksOfProcess, taskLabel, uniquePids, type Task,
} from '../facts.ts';
import { maxOf } from '../facts-moments.ts';

const OLD_SEC = 60;
const STAGE_TOOL = /^(?:mount(?:\..+)?|umount(?:\..+)?|mkfs(?:\..+)?|mke2fs|fsck(?:\..+)?|e2fsck|xfs_repair|xfs_growfs|resize2fs|blkid|tune2fs|wipefs|rbd|rbd-nbd|ceph-fuse|mount\.ceph|iscsiadm|multipath|losetup|cryptsetup|nvme)$/;
const PLUGIN = /^(?:csi-[\w-]*plugin|[\w-]*csi[\w-]*(?:plugin|driver|node)|rbdplugin|cephfsplugin|cephcsi|kubelet|hyperkube)$/;

function pluginAbove(s: Snapshot, p: Process): Process | undefined {
  const byPid = pidLookup(s);
  for (const a of ancestry(p.pid, byPid).slice(1)) {
    const q = byPid.get(a);
    if (q && (PLUGIN.test(argv0(q.args)) || PLUGIN.test(procName(q)))) return q;
  }
  return undefined;
}

function kubeletPath(p: Process): boolean {
  return (p.args ?? '').includes('/var/lib/kubelet/') || devicesInArgs(p.args).some((d) => d.kind === 'csi');
}

interface Step { p: Process; d: Task[]; why: string | null; age?: number }

function stepOf(ctx: RuleContext, s: Snapshot, p: Process): Step | null {
  const age = ageSec(p, s);
  const d = tasksOfProcess(s, p.pid).filter((t) => t.state === 'D');
  let why: string | null = null;
  for (const t of d) {
    if (t.reports.some((r) => r.source === 'hung-task')) { why = 'hung-task report'; break; }
    const pe = dPersistence(ctx.ingest, ctx.snapshots, t);
    if (pe.persistent) { why = `D in ${pe.inD} moments${pe.spanSec !== undefined ? ` over ${fmtDuration(pe.spanSec)}` : ''}`; break; }
  }
  if (!why && d.length && age !== undefined && age >= OLD_SEC) why = `D and ${fmtDuration(age)} old`;
  // Not in D: only a step that has slept for over a minute counts (an `rbd map` waiting on udev).
  if (!why && !(p.state === 'S' && age !== undefined && age >= OLD_SEC)) return null;
  return { p, d, why, ...(age !== undefined ? { age } : {}) };
}

export const rule: Rule = {
  id: 'pvc-mount-stuck',
  pattern: 'P28',
  catches: 'a stale CSI/kubelet volume stage step (mount, rbd map, mkfs, fsck, blkid) older than a minute or stuck in D: the PVC never mounts',
  needsText: 'the process tree with states, ages and full command lines (ps -eo pid,ppid,stat,wchan:32,etimes,args); hung-task reports help',
  missing(ctx) {
    const s = ctx.current;
    if (!hasStates(s)) return CAPTURE.states;
    if (!provides(s, 'args')) return CAPTURE.args;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const cap = captureSet(s);
    const steps: Array<Step & { plugin?: Process }> = [];
    for (const p of s.processes) {
      if (cap.has(p.pid) || isKthread(s, p) || p.state === 'Z') continue;
      const name = argv0(p.args) || procName(p);
      if (!STAGE_TOOL.test(name)) continue;
      if (name === 'rbd' && !/\s(?:device\s+)?(?:map|unmap)\b/.test(p.args ?? '')) continue;
      const plugin = pluginAbove(s, p);
      if (!plugin && !kubeletPath(p)) continue;
      const st = stepOf(ctx, s, p);
      if (!st) continue;
      steps.push({ ...st, ...(plugin ? { plugin } : {}) });
    }
    const out: FindingDraft[] = [];
    for (const group of groupBy(steps, (x) => String(x.plugin?.pid ?? 'kubelet-path')).values()) out.push(finding(s, group));
    return out;
  },
};

function finding(s: Snapshot, steps: Array<Step & { plugin?: Process }>): FindingDraft {
  const plugin = steps[0].plugin;
  const dSteps = steps.filter((x) => x.d.length > 0);
  const tasks = causeOrder(s, steps.flatMap((x) => (x.d.length ? x.d : tasksOfProcess(s, x.p.pid).slice(0, 1))));
  const pids = uniquePids(tasks);
  const devs = [...new Set(steps.flatMap((x) => devicesInArgs(x.p.args)).filter((d) => d.kind !== 'csi').map((d) => `/dev/${d.name}`))];
  const vols = [...new Set(steps.flatMap((x) => devicesInArgs(x.p.args)).filter((d) => d.kind === 'csi').map((d) => d.name))];
  const oldest = maxOf(steps.map((x) => x.age ?? 0));
  const ev: Evidence[] = [];
  if (plugin) {
    const chain = ancestry(plugin.pid, pidLookup(s)).map((x) => pidLookup(s).get(x)).filter((x): x is Process => x !== undefined).slice(0, 3).reverse();
    ev.push(cite(s, plugin, `under ${chain.map(procLabel).join(' → ')}: ${describeProcess(s, plugin)}`, 'args'));
  }
  for (const x of steps.slice(0, 8)) {
    const t = x.d[0];
    ev.push(t ? citeTask(s, t, `${describeTask(s, t)} — ${x.why}`, 'wchan') : cite(s, x.p, `${describeProcess(s, x.p)} — sleeping for ${fmtDuration(x.age ?? 0)}`, 'stat'));
    const r = t?.reports.find((k) => k.source === 'hung-task');
    if (r) ev.push(citeReport(s, r, `kernel: INFO: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t!.pid));
  }
  if (vols.length) ev.push({ text: `volume: ${vols.join(', ')}` });
  const where = devs.length ? ` of ${devs.join(', ')}` : vols.length ? ` of volume ${vols[0].slice(0, 48)}` : '';
  const names = tasks.slice(0, 3).map(taskLabel).join(', ') + (tasks.length > 3 ? ' …' : '');
  const pname = plugin ? argv0(plugin.args) || procName(plugin) : 'csi-rbdplugin';
  const first = tasks[0];
  const isRbd = devs.some((d) => d.startsWith('/dev/rbd')) || /rbd/.test(pname);
  return {
    severity: dSteps.length ? 'high' : 'medium',
    title: `PVC stage stuck: ${names}${where}${plugin ? ` under ${procLabel(plugin)}` : ''} ${dSteps.length ? 'stuck in D' : 'sleeping'}, up to ${fmtDuration(oldest)} old — the volume cannot mount (FailedMount)`,
    pids,
    summary: 'A volume stage step of the CSI plugin or kubelet (map → fsck/mkfs → mount) has not finished. It holds the per-volume operation lock, so every retry aborts with "operation with the given Volume ID already exists" and the pod stays in ContainerCreating with FailedMount "timed out waiting for the condition". ' +
      `${dSteps.length ? 'The step is in D: the storage behind it is not answering, so fix the backend first; ' : ''}then clear the stale operation (rook's "stale operations" procedure) and restart the plugin pod once the backend is healthy.`,
    evidence: ev,
    next: [
      `kubectl -n rook-ceph exec ${pname.toUpperCase().replace(/-/g, '_')}_POD_ON_THIS_NODE -c ${pname} -- ps -ef | grep -E 'rbd (map|unmap)|mkfs|fsck|mount|blkid'`,
      "kubectl get events -A --field-selector reason=FailedMount | tail",
      `cat /proc/${first.pid}/stack /proc/${first.pid}/wchan`,
      ...(isRbd ? ["dmesg -T | grep -iE 'rbd|libceph|blocked for more'", 'rbd showmapped', 'ceph -s; ceph health detail'] : ["dmesg -T | grep -iE 'blocked for more|I/O error'"]),
      `kubectl -n rook-ceph delete pod ${pname.toUpperCase().replace(/-/g, '_')}_POD_ON_THIS_NODE   # only once the backend is healthy`,
    ],
    rootCause: rootCauseOf(dSteps.flatMap((x) => x.d)) ?? (devs[0] ? `device:${devs[0].slice(5)}` : vols[0] ? `volume:${vols[0]}` : 'pvc-stage'),
    explains: pids.length,
  };
}
