// facts: the shared predicates every rule uses. Rules import from here only ('../facts.ts'), so a
// fact is decided once and the same way everywhere. What it offers:
//
// Tasks (facts-tasks.ts) — "A process's STAT is only its main thread: rules look at threads
// wherever the input has them."
//   tasksOf(s)            every task: thread rows where shown, else the process row; kernel reports
//                         that matched no process become kernelOnly tasks
//   tasksInStates(s,'DR') only the tasks in some states (cheap on 1M processes)
//   dTasks(s)             D tasks that matter: idle kernel-thread waits and capture tools left out
//   tasksOfProcess(s,pid) the tasks of one process
//   waitSymbol(t)         wchan, else the top non-scheduler stack frame
//   symbolsOf(t)          that symbol first, then every meaningful frame
//   primaryFamilies(t), allFamilies(t)   symbol families of the wait / of the whole stack
//   devicesOfTask(t)      devices from args, kernel-thread names (`jbd2/rbd0-8`) and workqueues
//   isIdleKernelWait(t)   I-state or idle-D kernel threads (worker_thread, rcu_gp_kthread…)
//   killableKind(t), isKillableWait(t)   vfork (`kernel_clone`/`do_fork`/`wait_for_vfork_done`),
//                         NFS (`rpc_wait_bit_killable`, `nfs_wait_bit_killable`), other `*_killable`
//   isFrozen(t)           in the cgroup freezer (`__refrigerator`)
//   captureSet(s), isCaptureProcess(s,p)   ps/top/grep/awk/sort/timeout/collect.sh and exec helpers
//   argv0, procName, procLabel, taskLabel, uniquePids, pidLookup(s) (binary search, builds nothing), pidMap(s) (a Map), ancestorsOf(s,pid), memo(s,key,fn);
//   mentions(p, word): args or comm contain a word — the test to run before argv0/procName in a scan of every process;
//   ancestry(pid, byPid) and descendants(pid, byPid): src/snapshot's, over a PidLookup (a Map works too)
// Symbols (facts-symbols.ts): normSym, topFrame, meaningfulFrames, isSchedFrame, familiesOf,
//   hasFamily, familiesOfTruncated, FAMILY_WORDS — families: io, page-wait, rbd, libceph, cephfs,
//   nfs, lock, reclaim, refrigerator, vfork, killable, idle, fuse, journal, fs-freeze
// Devices (facts-devices.ts): devicesInArgs (`/dev/rbd3`, `rbd3`, `sdX`, `nvme0n1`, `dm-N`,
//   `/dev/mapper/…`, kubelet/CSI paths), deviceOfKernelThread, deviceOfWorkqueue, deviceKey,
//   isStorageTool (fsck*, mkfs*, mount, umount, rbd, blkid…)
// Containers (facts-containers.ts): isNamespaceSnapshot, containerInits (namespace PID 1 or a
//   containerd-shim/conmon child), containerInitOf, goodInitName (tini, dumb-init, docker-init,
//   /pause, s6, supervisord, systemd…), isShim, subreaperKind
// Zombies (facts-zombies.ts): isTrueZombie, isDefunctLeaderWithThreads, zombiesByParent, zombieTrend
// Time (facts-time.ts): momentSec, gapSec, ageSec, fmtDuration, sameProcess, dPersistence, growth, momentSeries,
//   momentSeriesBy (one pass for every key: zombies per parent per moment), maxOf/minOf (never Math.max(...xs))
// Evidence (facts-evidence.ts): cite / citeTask / citeReport (input + line from Process.src →
//   Snapshot.sources), describeTask, describeProcess, stackLine, countNames, pidList, shortArgs,
//   severity scaling: raise, lower, maxSeverity, dClusterSeverity, zombieSeverity, orphanSeverity, plural;
//   bounded lists: EVIDENCE_MAX (20), labelList (names, then `… and N more`), citeFirst (evidence lines, then one count line)
// Inputs (facts-inputs.ts): provides(s, field), hasStates, hasParents, hasWaits, hasAges,
//   hasKernelLog, hasKernelReports, CAPTURE (missing() phrases)
// D groups (facts-dgroups.ts): dKeys (device, fs, path, wchan, stack), clusterD, commonKey,
//   rootCauseOf (shared `device:rbd3` keys), causeOrder (journal/flush kthread, oldest, PID), pathDirs,
//   waitersOnPath (df/du/ls and lock holders stuck on a mount without being in D)
// Here: isProbeHelper, cmdKey, groupBy.
// Speed (the CLI diagnoses 1M processes; bench: `npm run bench diagnose`): a rule touches every
// process at most once or twice with tests that copy nothing (mentions, state letters), asks per-task
// facts (dKeys, devicesOfTask, allFamilies, dPersistence: cached per Task) instead of recomputing
// them, never scans all processes or tasks inside a loop over tasks or parents, and writes out
// evidence for the first EVIDENCE_MAX items only (counting the rest).
import type { Process } from '../model/index.ts';
import { argv0, procName } from './facts-tasks.ts';

export * from './facts-symbols.ts';
export * from './facts-devices.ts';
export * from './facts-tasks.ts';
export * from './facts-time.ts';
export * from './facts-containers.ts';
export * from './facts-zombies.ts';
export * from './facts-evidence.ts';
export * from './facts-inputs.ts';
export * from './facts-dgroups.ts';

// Probe and exec helpers (P09 zombie comms, P14 pile-ups): `pgha-liveness.sh`, `pg_isready`, `psql`,
// `curl`, `runc exec`, `rprobe.sh`, `ping_readiness_local.sh`, `grpc_health_probe`.
const PROBE_TOOLS = new Set(['pg_isready', 'psql', 'curl', 'wget', 'nc', 'ncat', 'redis-cli', 'mysqladmin', 'mysql',
  'mongo', 'mongosh', 'grpc_health_probe', 'cqlsh', 'rabbitmqctl', 'rabbitmq-diagnostics', 'etcdctl', 'nodetool',
  'kafka-broker-api-versions.sh', 'zkOk.sh', 'consul', 'vault', 'runc', 'crictl']);
const PROBE_WORDS = /(?:liveness|readiness|startup[-_]?probe|probe|health|healthcheck|isready|is_ready|ping_readiness|ping_liveness)/i;

/** A process that looks like a probe or exec helper (by its command, or a script its shell runs). */
export function isProbeHelper(p: Process): boolean {
  const a0 = argv0(p.args);
  const comm = p.comm ?? a0;
  if (PROBE_TOOLS.has(a0) || PROBE_TOOLS.has(comm)) return true;
  if (PROBE_WORDS.test(a0) || (comm !== a0 && PROBE_WORDS.test(comm))) return true;
  // `sh -c /scripts/pgha-liveness.sh`, `/bin/bash /opt/rprobe.sh`
  return (a0 === 'sh' || a0 === 'bash' || a0 === 'dash' || a0 === 'ash') && PROBE_WORDS.test(p.args ?? '');
}

export { ancestry, descendants } from '../snapshot/graph.ts';

/** The key that makes processes "identical": the full command line, else the name. */
export function cmdKey(p: Process): string {
  const a = p.args ? oneSpaced(p.args) : '';
  return a || procName(p);
}

/** `s.trim().replace(/\s+/g, ' ')`, returning `s` itself when it is already so (the usual case: no regex, no copy per process). */
function oneSpaced(s: string): string {
  const n = s.length;
  let clean = n > 0 && s.charCodeAt(0) !== 32 && s.charCodeAt(n - 1) !== 32;
  for (let i = 0; clean && i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) { if (s.charCodeAt(i + 1) === 32) clean = false; } else if (c <= 13 && c >= 9) clean = false; else if (c === 0xa0 || c === 0x1680 || c >= 0x2000) clean = false;
  }
  return clean ? s : s.trim().replace(/\s+/g, ' ');
}

/** Group items by a key, keeping first-seen order of keys. */
export function groupBy<T>(items: Iterable<T>, key: (x: T) => string | null | undefined): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    if (k === null || k === undefined) continue;
    const l = m.get(k);
    if (l) l.push(x); else m.set(k, [x]);
  }
  return m;
}
