// P01 Ceph RBD (krbd) I/O hang — CRIT. Reference incident (process-notes.txt):
//   root     21979  0.0  0.0 121272  1388 ?        D    Jan14   0:00 fsck.ext4 -a /dev/rbd3
// krbd waits for the OSDs forever, so everything touching the device sits in D; the fix is to bring
// Ceph I/O back (find and restart the down/slow ceph-osd), not to kill the victims.
import type { Evidence, Process, Snapshot } from '../../model/index.ts';
import type { FindingDraft, Rule, RuleContext } from '../types.ts';
import {
  cite, allFamilies, ancestorsOf, argv0, CAPTURE, causeOrder, citeFirst, citeReport, citeTask, describeProcess, describeTask, devicesInArgs,
  devicesOfTask, dPersistence, dTasks, fmtDuration, hasStates, hasWaits, isFrozen, isStorageTool, meaningfulFrames,
  pidLookup, plural, procLabel, procName, provides, stackLine, taskLabel, uniquePids, type Device, type Task, maxOf,
} from '../facts.ts';

const CSI_RBD = /^(?:csi-rbdplugin|rbdplugin|cephcsi)$/;

function rbdDevices(t: Task): Device[] {
  return devicesOfTask(t).filter((d) => d.kind === 'rbd' || (d.kind === 'csi' && d.backend === 'rbd'));
}

/** A storage tool under csi-rbdplugin (the CSI stage path: map → fsck/mkfs → mount). */
function underRbdPlugin(s: Snapshot, t: Task): boolean {
  if (!isStorageTool(argv0(t.proc.args) || t.comm)) return false;
  const byPid = pidLookup(s);
  return ancestorsOf(s, t.pid).slice(1).some((pid) => {
    const p = byPid.get(pid);
    return p !== undefined && (CSI_RBD.test(argv0(p.args)) || CSI_RBD.test(procName(p)));
  });
}

function where(d: Device | undefined): string {
  if (!d) return 'an RBD device';
  return d.kind === 'csi' ? `volume ${d.name}` : `/dev/${d.name}`;
}

export const rule: Rule = {
  id: 'rbd-io-hang',
  pattern: 'P01',
  catches: 'Ceph RBD (krbd) I/O hang: fsck/mkfs/mount/rbd or kernel threads in D on /dev/rbdN, a kubelet/CSI rbd path or rbd/libceph frames',
  needsText: 'process states with command lines (ps -eo pid,ppid,stat,wchan:32,lstart,args); stacks or hung-task reports add the rbd/libceph frames',
  missing(ctx) {
    const s = ctx.current;
    if (!hasStates(s)) return CAPTURE.states;
    if (!provides(s, 'args') && !hasWaits(s)) return CAPTURE.args;
    return null;
  },
  evaluate(ctx) {
    const s = ctx.current;
    const groups = new Map<string, { dev?: Device; tasks: Task[] }>();
    const loose: Task[] = [];
    for (const t of dTasks(s)) {
      if (isFrozen(t)) continue;
      const devs = rbdDevices(t);
      if (devs.length > 0) {
        const k = devs[0].name;
        const g = groups.get(k) ?? { dev: devs[0], tasks: [] };
        g.tasks.push(t);
        groups.set(k, g);
        continue;
      }
      const fams = allFamilies(t);
      if (fams.has('rbd') || underRbdPlugin(s, t)) loose.push(t);
      // libceph frames alone are shared with CephFS: they count here only beside an rbd device.
      else if (fams.has('libceph') && groups.size > 0) loose.push(t);
    }
    // Tasks with rbd frames but no device name join the device when there is just one.
    if (loose.length > 0) {
      if (groups.size === 1) groups.values().next().value!.tasks.push(...loose);
      else groups.set('?', { tasks: loose });
    }
    const out: FindingDraft[] = [];
    for (const g of groups.values()) out.push(finding(ctx, s, g.dev, g.tasks));
    out.push(...rbdMapOnUdev(s));
    return out;
  },
};

function finding(ctx: RuleContext, s: Snapshot, dev: Device | undefined, tasks: Task[]): FindingDraft {
  const ordered = causeOrder(s, tasks);
  const first = ordered[0];
  const pids = uniquePids(ordered);
  const on = where(dev);
  const evidence: Evidence[] = [];
  for (const t of ordered.slice(0, 12)) evidence.push(citeTask(s, t, describeTask(s, t), 'stat'));
  if (ordered.length > 12) evidence.push({ text: `… and ${ordered.length - 12} more tasks in D on ${on}` });
  const withStack = ordered.find((t) => t.stack.length > 0);
  if (withStack) evidence.push(citeTask(s, withStack, `kernel stack of ${taskLabel(withStack)}: ${stackLine(meaningfulFrames(withStack.stack), 5)}`, 'stack'));
  const reports = ordered.flatMap((t) => t.reports.filter((r) => r.source === 'hung-task').map((r) => ({ t, r })));
  evidence.push(...citeFirst(reports, ({ t, r }) => citeReport(s, r, `kernel: task ${r.comm}:${r.pid} blocked for more than ${r.blockedSec ?? '?'} seconds`, t.pid), (n) => `… and ${n} more hung-task reports`));
  const p = dPersistence(ctx.ingest, ctx.snapshots, first);
  if (p.persistent) {
    evidence.push(citeTask(s, first, `${taskLabel(first)} is D in ${p.inD} of ${p.seen} moments${p.spanSec !== undefined ? ` ${fmtDuration(p.spanSec)} apart` : ''}${p.ctxtUnchanged ? ', context switches unchanged' : ''}`, 'stat'));
  }
  // Waiting parents and other processes naming the device (`fsck -a /dev/rbd3` S in do_wait).
  const inGroup = new Set(pids);
  if (dev) {
    const others: Process[] = s.processes.filter((q) => !inGroup.has(q.pid) && devicesInArgs(q.args).some((d) => d.name === dev.name));
    for (const q of others.slice(0, 5)) evidence.push(cite(s, q, `also on ${on}, not in D: ${describeProcess(s, q)}`, 'args'));
  }
  const osds = s.processes.filter((q) => procName(q) === 'ceph-osd' || argv0(q.args) === 'ceph-osd');
  let hyperconverged = '';
  if (osds.length === 0) evidence.push({ text: 'no ceph-osd process in this snapshot (expected unless this node also hosts OSDs)' });
  else {
    const dOsd = osds.filter((q) => q.state === 'D');
    evidence.push({ text: `${plural(osds.length, 'ceph-osd process', 'ceph-osd processes')} on this node${dOsd.length ? `, ${dOsd.length} in D: ${dOsd.map(procLabel).join(', ')}` : ''} (krbd beside OSDs can deadlock under memory pressure)` });
    hyperconverged = ' This node also runs OSDs: check them first.';
  }
  const title = `${taskLabel(first)}${pids.length > 1 ? ` and ${plural(pids.length - 1, 'more process', 'more processes')}` : ''} stuck in D on ${on} — Ceph RBD I/O is hung`;
  const age = ordered.map((t) => t.proc.elapsedSec).filter((x): x is number => x !== undefined);
  const summary = `${plural(ordered.length, 'task')} ${ordered.length === 1 ? 'is' : 'are'} in uninterruptible sleep on ${on}${age.length ? ` (oldest up ${fmtDuration(maxOf(age))})` : ''}. ` +
    'krbd waits for the OSDs indefinitely (osd_request_timeout 0), so everything that touches the device blocks until Ceph serves I/O again; ' +
    `killing them does not help. Restore Ceph (a down or slow OSD), and the tasks finish by themselves.${hyperconverged}`;
  const devName = dev && dev.kind !== 'csi' ? dev.name : undefined;
  const next = [
    `dmesg -T | grep -iE 'libceph|rbd|blocked for more'`,
    devName ? `rbd showmapped | grep -w ${devName}` : 'rbd showmapped',
    'cat /sys/kernel/debug/ceph/*/osdc',
    'ceph -s; ceph health detail; ceph osd tree | grep -w down',
    `cat /proc/${first.pid}/stack`,
    'systemctl restart ceph-osd@ID   # or: ceph orch daemon restart osd.ID, or delete the rook-ceph-osd-ID pod',
    `kubectl -n rook-ceph exec CSI_RBDPLUGIN_POD_ON_THIS_NODE -c csi-rbdplugin -- ps -ef | grep -E 'rbd (map|unmap)|mkfs|fsck|mount'`,
    'last resort: kubectl drain NODE --ignore-daemonsets, then reboot the node',
  ];
  return {
    severity: 'critical', title, pids, summary, evidence, next,
    rootCause: dev ? (dev.kind === 'csi' ? `volume:${dev.name}` : `device:${dev.name}`) : 'rbd',
    explains: ordered.length,
  };
}

/** Variant: `rbd map` in S on a poll/pipe wait is usually blocked on udev, not Ceph — MED. */
function rbdMapOnUdev(s: Snapshot): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const p of s.processes) {
    if (p.state !== 'S' || !p.args || !p.args.includes('rbd') || !/^(?:\S*\/)?rbd\s+(?:device\s+)?map\b/.test(p.args.trim())) continue;
    if (!p.wchan || !/poll|pipe|wait|select/.test(p.wchan)) continue;
    if (p.elapsedSec !== undefined && p.elapsedSec < 30) continue;
    const udev = s.processes.find((q) => procName(q) === 'systemd-udevd');
    out.push({
      severity: 'medium',
      title: `${procLabel(p)} waits in ${p.wchan} — rbd map is probably blocked on udev, not Ceph`,
      pids: [p.pid, ...(udev ? [udev.pid] : [])],
      summary: '`rbd map` sleeping interruptibly in a poll/pipe wait is usually waiting for udev to create the device node, not for the OSDs.',
      evidence: [cite(s, p, describeProcess(s, p), 'args'), ...(udev ? [cite(s, udev, describeProcess(s, udev), 'args')] : [{ text: 'no systemd-udevd process in this snapshot' }])],
      next: ['systemctl status systemd-udevd', 'udevadm settle --timeout=10; echo $?', `cat /proc/${p.pid}/stack`, 'rbd showmapped'],
      rootCause: 'udev',
      explains: 1,
    });
  }
  return out;
}
