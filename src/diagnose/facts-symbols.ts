// Kernel symbols from wchan, /proc/PID/stack and hung-task call traces: normalising a frame to its
// function name, skipping the scheduler's own frames, and sorting symbols into the families the
// rules reason about (heuristics.md P01–P08). Names vary by kernel, so families are prefix/regex
// lists rather than exact sets.

/** The families a wait symbol belongs to. A symbol may belong to several (nfs_wait_bit_killable: nfs + killable). */
export type SymbolFamily =
  | 'io' | 'page-wait' | 'rbd' | 'libceph' | 'cephfs' | 'nfs' | 'lock' | 'reclaim' | 'refrigerator'
  | 'vfork' | 'killable' | 'idle' | 'fuse' | 'journal' | 'fs-freeze' | 'interruptible';

/**
 * A frame or wchan reduced to its function name:
 * `[<0>] percpu_rwsem_wait+0x15f/0x1d0` → `percpu_rwsem_wait`,
 * ` ? schedule_timeout+0x1ed/0x2d0` → `schedule_timeout`,
 * `[<ffffffff817203fd>] io_schedule+0x9d/0x140` → `io_schedule`,
 * ` jbd2_log_wait_commit+0xac/0x120 [jbd2]` → `jbd2_log_wait_commit`,
 * `[<c0882f18>] (__schedule) from [<c0883858>] (schedule+0x64/0xe4)` (arm32) → `__schedule`,
 * `poll_schedule_timeout.constprop.0` → `poll_schedule_timeout`.
 * Returns '' for nothing usable (`-`, `0`, `*`).
 */
export function normSym(raw: string | null | undefined): string {
  if (!raw) return '';
  let s = raw.trim();
  // `[<0>] ` / `[<ffffffff817203fd>] ` address prefixes (possibly several on arm32 lines).
  while (s.startsWith('[<')) {
    const close = s.indexOf('>]');
    if (close < 0) break;
    s = s.slice(close + 2).trimStart();
  }
  if (s.startsWith('[] ')) s = s.slice(3).trimStart(); // a copy that lost `<…>`: `[] ? schedule_timeout+0x1ed`
  if (s.startsWith('? ')) s = s.slice(2).trimStart();
  if (s.startsWith('(')) {
    const close = s.indexOf(')');
    if (close > 0) s = s.slice(1, close);
  }
  let end = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // stop at '+', whitespace, '(' or '['
    if (c === 43 || c === 32 || c === 9 || c === 40 || c === 91) { end = i; break; }
  }
  s = s.slice(0, end);
  // compiler clones: `.constprop.0`, `.isra.0`, `.part.0`, `.cold`, and a 32-wide wchan cut
  // in the middle of one (`poll_schedule_timeout.constprop.`).
  const dot = s.indexOf('.');
  if (dot > 0) s = s.slice(0, dot);
  if (s === '-' || s === '0' || s === '*') return '';
  return s;
}

// Functions of the scheduler itself (`__sched` text): /proc/PID/wchan skips them, so for a stack
// the wait is the first frame that is not one of these.
const SCHED_FRAMES = new Set([
  '__schedule', 'schedule', 'io_schedule', 'io_schedule_timeout', 'schedule_timeout', 'schedule_timeout_uninterruptible',
  'schedule_timeout_killable', 'schedule_timeout_interruptible', 'schedule_timeout_idle', 'schedule_preempt_disabled',
  'schedule_hrtimeout', 'schedule_hrtimeout_range', 'schedule_hrtimeout_range_clock', 'preempt_schedule',
  'preempt_schedule_common', 'preempt_schedule_irq', '__switch_to', '__switch_to_asm', 'context_switch', 'switch_to',
  'bit_wait', 'bit_wait_io', 'bit_wait_timeout', 'bit_wait_io_timeout', '__wait_on_bit', '__wait_on_bit_lock',
  'out_of_line_wait_on_bit', 'out_of_line_wait_on_bit_lock', 'do_wait_for_common', '__wait_for_common',
  'wait_for_common', 'wait_for_common_io', 'ret_from_fork', 'ret_from_fork_asm', 'cpu_switch_to',
]);

export function isSchedFrame(sym: string): boolean {
  return SCHED_FRAMES.has(sym);
}

/** The wait a stack shows: the first frame that is not the scheduler's own. Frames innermost first. */
export function topFrame(frames: readonly string[]): string {
  for (const f of frames) {
    const s = normSym(f);
    if (s && !SCHED_FRAMES.has(s)) return s;
  }
  return '';
}

/** Normalised frames, scheduler frames and empties dropped, innermost first. */
export function meaningfulFrames(frames: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of frames) {
    const s = normSym(f);
    if (s && !SCHED_FRAMES.has(s)) out.push(s);
  }
  return out;
}

// Family tables. Exact names first, then prefixes, then patterns; kept small and explicit so a
// reviewer can check each against heuristics.md.
const EXACT: Record<string, SymbolFamily[]> = {
  io_schedule: ['io'], io_schedule_timeout: ['io'], blk_mq_get_tag: ['io'], bit_wait_io: ['io'],
  __wait_on_buffer: ['io'], wait_on_buffer: ['io'], submit_bio_wait: ['io'], blkdev_issue_flush: ['io'],
  wait_for_completion_io: ['io'], wait_for_completion_io_timeout: ['io'], get_request: ['io'],
  blk_queue_enter: ['io'], __filemap_fdatawait_range: ['io'], filemap_fdatawait_range: ['io'],
  filemap_write_and_wait_range: ['io'], sync_inodes_sb: ['io'], wb_wait_for_completion: ['io'],
  folio_wait_bit_common: ['page-wait'], folio_wait_bit: ['page-wait'], folio_wait_bit_killable: ['page-wait', 'killable'],
  wait_on_page_bit: ['page-wait'], wait_on_page_bit_common: ['page-wait'], wait_on_page_bit_killable: ['page-wait', 'killable'],
  __lock_page: ['page-wait'], __lock_page_killable: ['page-wait', 'killable'], __lock_page_or_retry: ['page-wait'],
  __folio_lock: ['page-wait'], __folio_lock_killable: ['page-wait', 'killable'], __folio_lock_or_retry: ['page-wait'],
  folio_wait_writeback: ['page-wait', 'io'], wait_on_page_writeback: ['page-wait', 'io'], folio_wait_stable: ['page-wait', 'io'],
  wait_on_page_locked: ['page-wait'], folio_put_wait_locked: ['page-wait'],
  jbd2_log_wait_commit: ['journal', 'io'], jbd2_journal_commit_transaction: ['journal', 'io'],
  wait_transaction_locked: ['journal'], add_transaction_credits: ['journal'], start_this_handle: ['journal'],
  jbd2_journal_lock_updates: ['journal'], jbd2__journal_start: ['journal'],
  // vfork parent: `kernel_clone` (5.10+), `_do_fork`/`do_fork` (older), waiting in
  // wait_for_vfork_done with TASK_KILLABLE. formats.md: `5  1 D  kernel_clone  ./fix vforkhold`.
  kernel_clone: ['vfork', 'killable'], _do_fork: ['vfork', 'killable'], do_fork: ['vfork', 'killable'],
  wait_for_vfork_done: ['vfork', 'killable'], __do_sys_vfork: ['vfork', 'killable'],
  // NFS/RPC waits are TASK_KILLABLE on purpose (hung_task.c: "skip the TASK_KILLABLE tasks waiting on NFS").
  rpc_wait_bit_killable: ['nfs', 'killable'], nfs_wait_bit_killable: ['nfs', 'killable'],
  __rpc_execute: ['nfs'], rpc_execute: ['nfs'], __rpc_wait_for_completion_task: ['nfs'], rpc_run_task: ['nfs'],
  rwsem_down_read_slowpath: ['lock'], rwsem_down_write_slowpath: ['lock'], rwsem_down_read_failed: ['lock'],
  rwsem_down_write_failed: ['lock'], rwsem_down_read_failed_killable: ['lock', 'killable'],
  rwsem_down_write_failed_killable: ['lock', 'killable'], __rwsem_down_read_failed_common: ['lock'],
  __rwsem_down_write_failed_common: ['lock'], __mutex_lock: ['lock'], __mutex_lock_slowpath: ['lock'],
  mutex_lock: ['lock'], mutex_lock_nested: ['lock'], __mutex_lock_killable_slowpath: ['lock', 'killable'],
  mutex_lock_killable: ['lock', 'killable'], down_read: ['lock'], down_write: ['lock'], down_read_killable: ['lock', 'killable'],
  down_write_killable: ['lock', 'killable'], __down: ['lock'], __down_common: ['lock'], down: ['lock'],
  __down_killable: ['lock', 'killable'], rt_mutex_slowlock: ['lock'], rt_mutex_slowlock_block: ['lock'],
  rwbase_read_lock: ['lock'], rwbase_write_lock: ['lock'], ww_mutex_lock: ['lock'],
  // A frozen filesystem: writers park in sb_start_write → percpu_down_read → percpu_rwsem_wait.
  // formats.md: "A frozen-filesystem writer showed `116 0 Ds percpu_rwsem_wait`".
  percpu_rwsem_wait: ['lock', 'fs-freeze'], percpu_down_read: ['lock', 'fs-freeze'], __percpu_down_read: ['lock', 'fs-freeze'],
  percpu_down_write: ['lock'], sb_wait_write: ['fs-freeze'],
  // Since the rwsem slow path became a scheduler function (6.x), wchan and /proc/PID/stack show its
  // caller: a D task "in" these VFS functions is queued on an inode's i_rwsem (lock-convoy sample:
  // `29402 D iterate_dir ls`, `29403 D walk_component stat`, `29404 D path_openat touch`,
  // `29405 D filename_create mkdir`; the hung-task stacks show rwsem_down_read_slowpath/down_write).
  iterate_dir: ['lock'], walk_component: ['lock'], lookup_slow: ['lock'], filename_create: ['lock'],
  path_openat: ['lock'], open_last_lookups: ['lock'], do_unlinkat: ['lock'], do_rmdir: ['lock'], lock_rename: ['lock'],
  do_renameat2: ['lock'], inode_lock: ['lock'], inode_lock_shared: ['lock'], chown_common: ['lock'], do_truncate: ['lock'],
  __alloc_pages_slowpath: ['reclaim'], try_to_free_pages: ['reclaim'], try_to_free_mem_cgroup_pages: ['reclaim'],
  throttle_direct_reclaim: ['reclaim'], balance_dirty_pages: ['reclaim'], balance_dirty_pages_ratelimited: ['reclaim'],
  balance_dirty_pages_ratelimited_flags: ['reclaim'], congestion_wait: ['reclaim'], wait_iff_congested: ['reclaim'],
  reclaim_throttle: ['reclaim'], __perform_reclaim: ['reclaim'], __alloc_pages_direct_reclaim: ['reclaim'],
  do_try_to_free_pages: ['reclaim'], __alloc_pages_direct_compact: ['reclaim'], mem_cgroup_oom_synchronize: ['reclaim'],
  __refrigerator: ['refrigerator'], refrigerator: ['refrigerator'], do_freezer_trap: ['refrigerator'],
  try_to_freeze: ['refrigerator'], try_to_freeze_unsafe: ['refrigerator'], freezer_count: ['refrigerator'],
  // Idle kernel-thread waits (TASK_IDLE on 4.2–4.13 shows as D; I from 4.14).
  worker_thread: ['idle'], rescuer_thread: ['idle'], kthread_worker_fn: ['idle'], kthreadd: ['idle'],
  smpboot_thread_fn: ['idle'], rcu_gp_kthread: ['idle'], rcu_gp_fqs_loop: ['idle'], rcu_tasks_kthread: ['idle'],
  rcu_tasks_wait_gp: ['idle'], rcu_nocb_gp_kthread: ['idle'], rcu_nocb_cb_kthread: ['idle'], rcu_boost_kthread: ['idle'],
  kthread_parkme: ['idle'], __kthread_parkme: ['idle'], irq_thread: ['idle'], swait_event_idle_exclusive: ['idle'],
  kthread: ['idle'],
  // Waits that only ever sleep TASK_INTERRUPTIBLE: a D task shown in one of these was frozen there.
  hrtimer_nanosleep: ['interruptible'], do_nanosleep: ['interruptible'], do_sys_poll: ['interruptible'],
  poll_schedule_timeout: ['interruptible'], do_select: ['interruptible'], core_sys_select: ['interruptible'],
  ep_poll: ['interruptible'], do_epoll_wait: ['interruptible'], do_sys_pause: ['interruptible'], do_wait: ['interruptible'],
  pipe_read: ['interruptible'], anon_pipe_read: ['interruptible'], pipe_wait: ['interruptible'], wait_woken: ['interruptible'],
  sk_wait_data: ['interruptible'], unix_stream_read_generic: ['interruptible'], inet_csk_accept: ['interruptible'],
  do_sigtimedwait: ['interruptible'], sigsuspend: ['interruptible'], futex_wait_queue: ['interruptible'],
  futex_wait_queue_me: ['interruptible'], futex_wait: ['interruptible'], n_tty_read: ['interruptible'],
  request_wait_answer: ['fuse'], fuse_simple_request: ['fuse'], fuse_wait_on_page_writeback: ['fuse'],
};

const PREFIXES: Array<[string, SymbolFamily[]]> = [
  ['rbd_', ['rbd']], ['do_rbd_', ['rbd']],
  ['ceph_osdc_', ['libceph']], ['ceph_monc_', ['libceph']], ['ceph_con_', ['libceph']], ['ceph_msg', ['libceph']],
  ['ceph_mdsc_', ['cephfs']], ['__ceph_', ['cephfs']], ['ceph_', ['cephfs']],
  ['nfs4_', ['nfs']], ['nfs_', ['nfs']], ['nfs41_', ['nfs']], ['rpc_', ['nfs']], ['__rpc_', ['nfs']], ['xprt_', ['nfs']],
  ['rwsem_down_', ['lock']], ['__mutex_lock', ['lock']], ['mutex_lock', ['lock']], ['down_read', ['lock']], ['down_write', ['lock']],
  ['shrink_', ['reclaim']], ['mem_cgroup_', ['reclaim']], ['balance_dirty_pages', ['reclaim']],
  ['xfs_log_force', ['journal', 'io']], ['xlog_wait', ['journal', 'io']], ['xfs_buf_', ['io']], ['jbd2_', ['journal']],
  ['folio_wait_bit', ['page-wait']], ['wait_on_page_', ['page-wait']], ['__lock_page', ['page-wait']],
  ['fuse_', ['fuse']],
];

const famCache = new Map<string, readonly SymbolFamily[]>();
const NONE: readonly SymbolFamily[] = [];

/** The families of one (normalised or raw) symbol. */
export function familiesOf(symbol: string): readonly SymbolFamily[] {
  // A cached key is a normalised name (no `+`, `.`, spaces or brackets), so normSym would return it unchanged.
  const hit = famCache.get(symbol);
  if (hit) return hit;
  const s = normSym(symbol);
  if (!s) return NONE;
  const cached = famCache.get(s);
  if (cached) return cached;
  let fams: SymbolFamily[] = EXACT[s] ? [...EXACT[s]] : [];
  if (fams.length === 0) {
    for (const [p, f] of PREFIXES) if (s.startsWith(p)) { fams = [...f]; break; }
  }
  // Any other `*_killable` wait is TASK_KILLABLE too (down_read_killable in ps itself, P21).
  if (s.endsWith('_killable') && !fams.includes('killable')) fams.push('killable');
  const out = fams.length ? fams : NONE;
  if (famCache.size < 10000) famCache.set(s, out);
  return out;
}

export function hasFamily(symbol: string, family: SymbolFamily): boolean {
  return familiesOf(symbol).includes(family);
}

/**
 * The families a ps wchan cut at the default 6-character width may stand for (`kernel` →
 * kernel_clone → vfork, killable): the families every known symbol with that prefix shares;
 * none when they share none (`wait_o`: wait_on_buffer is I/O, wait_on_page_bit a page wait).
 */
const truncCache = new Map<string, readonly SymbolFamily[]>();

export function familiesOfTruncated(prefix: string): readonly SymbolFamily[] {
  const s = normSym(prefix);
  if (s.length < 4) return NONE;
  // Asked once per D task with a short wchan: the walk over every known name is done once per prefix.
  const cached = truncCache.get(s);
  if (cached) return cached;
  let found: SymbolFamily[] | null = null;
  for (const [name, fams] of Object.entries(EXACT)) {
    if (!name.startsWith(s)) continue;
    found = found === null ? [...fams] : found.filter((f) => fams.includes(f));
    if (found.length === 0) break;
  }
  const out = found && found.length ? found : NONE;
  if (truncCache.size < 10000) truncCache.set(s, out);
  return out;
}

/** Human words for a family, for titles ("waiting on NFS"). */
export const FAMILY_WORDS: Record<SymbolFamily, string> = {
  io: 'block I/O', 'page-wait': 'a page lock/read (I/O behind it)', rbd: 'Ceph RBD', libceph: 'Ceph OSD requests',
  cephfs: 'CephFS', nfs: 'NFS/RPC', lock: 'a kernel lock', reclaim: 'memory reclaim', refrigerator: 'the cgroup freezer',
  vfork: 'a vfork child', killable: 'a killable wait', idle: 'idle kernel-thread wait', fuse: 'a FUSE daemon',
  journal: 'the filesystem journal', 'fs-freeze': 'a frozen filesystem', interruptible: 'an interruptible sleep',
};
