// Block devices and volumes named by a command line or a kernel thread: the key that ties a D task
// to a device (`fsck.ext4 -a /dev/rbd3` → rbd3, `[jbd2/rbd0-8]` → rbd0) so findings about one
// stalled device share a rootCause (`device:rbd3`).

export type DeviceKind = 'rbd' | 'scsi' | 'virtio' | 'xen' | 'nvme' | 'dm' | 'md' | 'loop' | 'nbd' | 'mapper' | 'bdi' | 'csi';

export interface Device {
  /** `rbd3`, `sdb1`, `nvme0n1`, `dm-2`, `mapper/vg0-data`, `253:0` (bdi), a CSI volume name. */
  name: string;
  kind: DeviceKind;
  /** For CSI/kubelet volume paths: the storage behind it when the path says (`rbd`, `cephfs`, `nfs`). */
  backend?: 'rbd' | 'cephfs' | 'nfs';
  /** How we know: an argument, a kernel thread's name, or a kubelet/CSI path. */
  via: 'arg' | 'kthread' | 'csi-path' | 'workqueue';
}

/** Root-cause key shared by every finding about this device. */
export function deviceKey(d: Device): string {
  return d.kind === 'csi' ? `volume:${d.name}` : `device:${d.name}`;
}

// `/dev/rbd3`, `/dev/sdb1`, `/dev/nvme0n1p2`, `/dev/dm-2`, `/dev/mapper/vg0-data`, `/dev/md0`,
// `/dev/loop4`, `/dev/nbd0`, `/dev/vdb`, `/dev/xvda1`.
const DEV_PATH = /^\/dev\/(rbd\d+(?:p\d+)?|sd[a-z]{1,3}\d*|vd[a-z]{1,3}\d*|xvd[a-z]{1,3}\d*|nvme\d+n\d+(?:p\d+)?|dm-\d+|md\d+(?:p\d+)?|loop\d+|nbd\d+(?:p\d+)?|mapper\/[^\s/]+)$/;
// Bare device names in arguments are only trusted for names nothing else looks like
// (`rbd unmap rbd3`, `iostat nvme0n1`): `sdb` alone could be any word.
const DEV_BARE = /^(rbd\d+(?:p\d+)?|nvme\d+n\d+(?:p\d+)?|dm-\d+)$/;
// Kubelet and CSI volume paths, e.g.
// `/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~rbd/pvc-1234`,
// `/var/lib/kubelet/plugins/kubernetes.io/rbd/mounts/rbd-image-kubernetes-dynamic-pvc-…`,
// `/var/lib/kubelet/plugins/kubernetes.io/csi/rbd.csi.ceph.com/<hash>/globalmount/0001-0009-rook-ceph-…`,
// `/var/lib/kubelet/plugins/kubernetes.io/csi/pv/pvc-1234/globalmount`.
const KUBELET = '/var/lib/kubelet/';

function kindOf(name: string): DeviceKind {
  if (name.startsWith('rbd')) return 'rbd';
  if (name.startsWith('sd')) return 'scsi';
  if (name.startsWith('vd')) return 'virtio';
  if (name.startsWith('xvd')) return 'xen';
  if (name.startsWith('nvme')) return 'nvme';
  if (name.startsWith('dm-')) return 'dm';
  if (name.startsWith('md')) return 'md';
  if (name.startsWith('loop')) return 'loop';
  if (name.startsWith('nbd')) return 'nbd';
  return 'mapper';
}

function csiFromPath(path: string): Device | null {
  const i = path.indexOf(KUBELET);
  if (i < 0) return null;
  const rest = path.slice(i + KUBELET.length);
  const backend: Device['backend'] =
    /kubernetes\.io~rbd|kubernetes\.io\/rbd|rbd\.csi\.ceph\.com/.test(rest) ? 'rbd'
      : /kubernetes\.io~cephfs|kubernetes\.io\/cephfs|cephfs\.csi\.ceph\.com/.test(rest) ? 'cephfs'
        : /kubernetes\.io~nfs|kubernetes\.io\/nfs|nfs\.csi\.k8s\.io/.test(rest) ? 'nfs' : undefined;
  if (!/volumes\/|plugins\/|volumeDevices\//.test(rest)) return null;
  const parts = rest.split('/').filter(Boolean);
  // Prefer a PV/PVC name, then the segment after the plugin directory.
  let name = parts.find((p) => /^pvc-[0-9a-f-]{8,}/.test(p));
  if (!name) {
    const mounts = parts.indexOf('mounts');
    if (mounts >= 0 && parts[mounts + 1]) name = parts[mounts + 1];
  }
  if (!name) {
    const gm = parts.indexOf('globalmount');
    if (gm > 0) name = parts[gm + 1] ?? parts[gm - 1];
  }
  if (!name) name = parts[parts.length - 1];
  if (!name) return null;
  return { name, kind: 'csi', via: 'csi-path', ...(backend ? { backend } : {}) };
}

/** Devices and kubelet/CSI volumes an argument list names, in order, without repeats. */
export function devicesInArgs(args: string | null | undefined): Device[] {
  if (!args) return [];
  const out: Device[] = [];
  const seen = new Set<string>();
  const add = (d: Device) => {
    const k = deviceKey(d);
    if (!seen.has(k)) { seen.add(k); out.push(d); }
  };
  // Cheap exit for the common case: nothing device-like at all.
  if (args.indexOf('/dev/') < 0 && args.indexOf(KUBELET) < 0 && !/\b(?:rbd\d|nvme\d|dm-\d)/.test(args)) return out;
  for (let tok of args.split(/\s+/)) {
    if (!tok) continue;
    // `--device=/dev/rbd3`, `if=/dev/sdb`, quotes.
    const eq = tok.lastIndexOf('=');
    if (eq >= 0) tok = tok.slice(eq + 1);
    tok = tok.replace(/^['"]+|['",;:)]+$/g, '');
    if (tok.startsWith('/dev/')) {
      const m = DEV_PATH.exec(tok);
      if (m) add({ name: m[1], kind: kindOf(m[1]), via: 'arg' });
    } else if (tok.includes(KUBELET)) {
      const d = csiFromPath(tok);
      if (d) add(d);
    } else if (DEV_BARE.test(tok)) {
      add({ name: tok, kind: kindOf(tok), via: 'arg' });
    }
  }
  return out;
}

/**
 * The device a kernel thread works for: `jbd2/rbd0-8`, `xfsaild/dm-3`, `xfs-buf/rbd1`,
 * `rbd3-tasks`, `loop4`, `kworker/u16:2+flush-253:0` (a bdi, major:minor).
 */
export function deviceOfKernelThread(comm: string | null | undefined): Device | null {
  if (!comm) return null;
  let c = comm;
  if (c.startsWith('[') && c.endsWith(']')) c = c.slice(1, -1);
  let m = /^jbd2\/(.+)-\d+$/.exec(c);
  if (m) return devFromName(m[1], 'kthread');
  m = /^(?:xfsaild|xfs-[a-z]+|ext4-[a-z-]+|btrfs-[a-z-]+)\/(.+)$/.exec(c);
  if (m) return devFromName(m[1], 'kthread');
  m = /^(rbd\d+)-tasks$/.exec(c);
  if (m) return devFromName(m[1], 'kthread');
  m = /^(loop\d+)$/.exec(c);
  if (m) return devFromName(m[1], 'kthread');
  m = /flush-(\d+:\d+)/.exec(c);
  if (m) return { name: m[1], kind: 'bdi', via: 'kthread' };
  return null;
}

/** `Workqueue: writeback wb_workfn (flush-253:0)` → the bdi 253:0. */
export function deviceOfWorkqueue(workqueue: string | null | undefined): Device | null {
  if (!workqueue) return null;
  const m = /flush-(\d+:\d+)/.exec(workqueue);
  return m ? { name: m[1], kind: 'bdi', via: 'workqueue' } : null;
}

function devFromName(name: string, via: Device['via']): Device | null {
  const m = /^(rbd\d+(?:p\d+)?|sd[a-z]{1,3}\d*|vd[a-z]{1,3}\d*|xvd[a-z]{1,3}\d*|nvme\d+n\d+(?:p\d+)?|dm-\d+|md\d+(?:p\d+)?|loop\d+|nbd\d+(?:p\d+)?)$/.exec(name);
  return m ? { name: m[1], kind: kindOf(m[1]), via } : null;
}

/** The command of the storage tools P01/P28 name: fsck*, e2fsck, mkfs*, mount, umount, rbd, blkid, … */
export function isStorageTool(name: string | null | undefined): boolean {
  if (!name) return false;
  return /^(?:fsck(?:\..+)?|e2fsck|xfs_repair|xfs_growfs|resize2fs|mkfs(?:\..+)?|mke2fs|mount(?:\..+)?|umount(?:\..+)?|rbd|rbd-nbd|blkid|tune2fs|dumpe2fs|wipefs|sgdisk|partprobe|dd|sync|fsfreeze|lsblk)$/.test(name);
}
