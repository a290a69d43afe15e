// Every rule, one file each, file name = rule id (DESIGN.md). Order here is heuristics.md order.
import type { Rule } from '../types.ts';
import { rule as rbdIoHang } from './rbd-io-hang.ts';
import { rule as cephfsHang } from './cephfs-hang.ts';
import { rule as nfsHang } from './nfs-hang.ts';
import { rule as dStateCluster } from './d-state-cluster.ts';
import { rule as lockConvoy } from './lock-convoy.ts';
import { rule as hungTask } from './hung-task.ts';
import { rule as memoryReclaimStall } from './memory-reclaim-stall.ts';
import { rule as frozenCgroup } from './frozen-cgroup.ts';
import { rule as zombiesUnderContainerInit } from './zombies-under-container-init.ts';
import { rule as zombiesUnderDParent } from './zombies-under-d-parent.ts';
import { rule as zombiesUnderLiveParent } from './zombies-under-live-parent.ts';
import { rule as defunctLeaderLiveThreads } from './defunct-leader-live-threads.ts';
import { rule as orphanAccumulation } from './orphan-accumulation.ts';
import { rule as probePileup } from './probe-pileup.ts';
import { rule as forkStorm } from './fork-storm.ts';
import { rule as pidExhaustion } from './pid-exhaustion.ts';
import { rule as ppidZeroInNamespace } from './ppid-zero-in-namespace.ts';
import { rule as stoppedProcess } from './stopped-process.ts';
import { rule as tracedProcess } from './traced-process.ts';
import { rule as oddStateLetter } from './odd-state-letter.ts';
import { rule as captureIncomplete } from './capture-incomplete.ts';
import { rule as loadBreakdown } from './load-breakdown.ts';
import { rule as runawayThread } from './runaway-thread.ts';
import { rule as kthreadCpuHog } from './kthread-cpu-hog.ts';
import { rule as memoryHog } from './memory-hog.ts';
import { rule as runtimeHang } from './runtime-hang.ts';
import { rule as podStuckTerminating } from './pod-stuck-terminating.ts';
import { rule as pvcMountStuck } from './pvc-mount-stuck.ts';

export const RULES: readonly Rule[] = [
  rbdIoHang,
  cephfsHang,
  nfsHang,
  dStateCluster,
  lockConvoy,
  hungTask,
  memoryReclaimStall,
  frozenCgroup,
  zombiesUnderContainerInit,
  zombiesUnderDParent,
  zombiesUnderLiveParent,
  defunctLeaderLiveThreads,
  orphanAccumulation,
  probePileup,
  forkStorm,
  pidExhaustion,
  ppidZeroInNamespace,
  stoppedProcess,
  tracedProcess,
  oddStateLetter,
  captureIncomplete,
  loadBreakdown,
  runawayThread,
  kthreadCpuHog,
  memoryHog,
  runtimeHang,
  podStuckTerminating,
  pvcMountStuck,
];
