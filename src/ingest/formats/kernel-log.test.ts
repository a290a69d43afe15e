import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KernelTask } from '../../model/index.ts';
import { kernelLog, parseFrame, parseTaskLine, stripPrefix } from './kernel-log.ts';
import { runParser } from './parse-for-test.ts';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/kernel-log/${name}`, import.meta.url), 'utf8');
const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');

function tasksOf(text: string, fileName = '') {
  const run = runParser(kernelLog, text, { fileName });
  return { run, tasks: run.captures.flatMap((c) => c.kernelTasks), meta: run.captures.map((c) => c.meta) };
}
const one = (text: string): KernelTask => {
  const { tasks } = tasksOf(text);
  expect(tasks).toHaveLength(1);
  return tasks[0];
};

// formats.md §4, a Debian 12 test machine (frozen ext4, hung_task_timeout_secs=10).
const REPORT_6_18 = `[  340.765154] INFO: task bash:7487 blocked for more than 10 seconds.
[  340.765731]       Not tainted 6.18.44-fc-v657 #1
[  340.766179] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
[  340.766825] task:bash            state:D stack:0     pid:7487  tgid:7487  ppid:7483   task_flags:0x400000 flags:0x00080001
[  340.766832] Call Trace:
[  340.766835]  <TASK>
[  340.766839]  __schedule+0x3cc/0xf50
[  340.766848]  schedule+0x23/0xa0
[  340.766851]  percpu_rwsem_wait+0x15f/0x1d0
[  340.766865]  mnt_want_write+0x96/0xc0
`;

describe('kernel-log: hung-task reports in every task-line layout (formats.md §6 item 20)', () => {
  it('reads a 6.18 report: task line with tgid and task_flags, taint, <TASK> skipped, frames in order', () => {
    const t = one(REPORT_6_18);
    expect(t).toMatchObject({ source: 'hung-task', comm: 'bash', pid: 7487, tgid: 7487, ppid: 7483, state: 'D', blockedSec: 10, line: 1 });
    expect(t.tainted).toBe('Not tainted 6.18.44-fc-v657 #1');
    expect(t.stack).toEqual(['__schedule+0x3cc/0xf50', 'schedule+0x23/0xa0', 'percpu_rwsem_wait+0x15f/0x1d0', 'mnt_want_write+0x96/0xc0']);
    expect(t.text[0]).toBe('INFO: task bash:7487 blocked for more than 10 seconds.');
    expect(tasksOf(REPORT_6_18).meta[0].kernel).toBe('6.18.44-fc-v657');
  });

  it('reads the 2.6.32–4.2 task line with a task pointer and skips its three hex lines (openzfs/zfs#3997)', () => {
    // https://github.com/openzfs/zfs/issues/3997 — the excerpt starts inside an earlier task's stack.
    const { tasks, run } = tasksOf(fixture('openzfs-zfs-3997.txt'));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ comm: 'nfsd', pid: 3782, ppid: 2, state: 'D', blockedSec: 120, line: 10 });
    // frames before the report belong to a task whose header is not in the excerpt
    expect(tasks[0].stack[0]).toBe('? __mutex_lock_common.isra.5+0xff/0x164');
    expect(tasks[0].stack).toHaveLength(3);
    expect(run.warnings).toEqual([]);
  });

  it('reads the RHEL7 SysRq-w task line `mount D ffff96f79a553150 0 11341 11254`', () => {
    expect(parseTaskLine('mount           D ffff96f79a553150     0 11341  11254 0x00000080'))
      .toEqual({ comm: 'mount', state: 'D', pid: 11341, ppid: 11254 });
  });

  it('reads the 4.9–4.18 task line `logrotate D 0 17344 17342 0x00000080` (logrotate/logrotate#232)', () => {
    // https://github.com/logrotate/logrotate/issues/232
    const t = one(fixture('logrotate-logrotate-232.txt'));
    expect(t).toMatchObject({ comm: 'logrotate', pid: 17344, ppid: 17342, state: 'D', blockedSec: 120 });
    expect(t.tgid).toBeUndefined();
  });

  it('reads a glued 4.x task line where free stack ≥ 10000 touches the state: `D12296`', () => {
    expect(parseTaskLine('tracker-store   D12296  2469   1847 0x00000000'))
      .toEqual({ comm: 'tracker-store', state: 'D', pid: 2469, ppid: 1847 });
    const t = one('tracker-store   D12296  2469   1847 0x00000000\n');
    expect(t).toMatchObject({ pid: 2469, ppid: 1847, comm: 'tracker-store' });
  });

  it('reads the 5.x task line with padded `stack:    0` and `ppid:     2` (raspberrypi/linux#4943)', () => {
    // https://github.com/raspberrypi/linux/issues/4943
    const t = one(fixture('raspberrypi-linux-4943.txt'));
    expect(t).toMatchObject({ comm: 'kworker/u2:1', pid: 19868, ppid: 2, state: 'D', blockedSec: 245 });
    expect(t.workqueue).toBe('events_unbound fsnotify_connector_destroy_workfn');
    expect(t.tainted).toBe('Tainted: G         C        5.10.89+ #1');
  });

  it('reads the 6.9 task line with tgid and no task_flags', () => {
    expect(parseTaskLine('task:fsck.ext4       state:D stack:0     pid:800   tgid:800   ppid:790    flags:0x00004002'))
      .toEqual({ comm: 'fsck.ext4', state: 'D', pid: 800, tgid: 800, ppid: 790 });
  });

  it('reads the 6.18 task line with task_flags', () => {
    expect(parseTaskLine('task:dd              state:D stack:0     pid:7488  tgid:7488  ppid:7485   task_flags:0x400000 flags:0x00080001'))
      .toEqual({ comm: 'dd', state: 'D', pid: 7488, tgid: 7488, ppid: 7485 });
  });

  it('takes the PID after the LAST `:` when the comm contains `:` (Open-CAS/open-cas-linux#746)', () => {
    // https://github.com/Open-CAS/open-cas-linux/issues/746
    const t = one(fixture('open-cas-linux-746.txt'));
    expect(t).toMatchObject({ comm: 'kworker/u146:16', pid: 495, ppid: 2 });
    expect(t.workqueue).toBe('writeback wb_workfn (flush-253:0)');
    expect(t.tainted).toContain('4.18.0-240.el8.x86_64');
  });

  it('keeps unreliable `?` frames with a leading `? `, module frames with `[jbd2]`, in order', () => {
    const t = one(fixture('open-cas-linux-746.txt'));
    expect(t.stack.slice(0, 6)).toEqual([
      '__schedule+0x2a6/0x700', '? __wake_up_common_lock+0x89/0xc0', 'schedule+0x38/0xa0',
      'jbd2_log_wait_commit+0xac/0x120 [jbd2]', '? finish_wait+0x80/0x80', 'jbd2_log_do_checkpoint+0x392/0x400 [jbd2]',
    ]);
    expect(t.stack).toContain('? _casdsk_exp_obj_make_rq_fn+0xb3/0x210 [cas_disk]');
    expect(t.stack).toHaveLength(18);
  });

  it('drops a module build id: `[spl 62b773ea…]` becomes `[spl]`', () => {
    expect(parseFrame(' __cv_timedwait_common+0x12f/0x170 [spl 62b773ea704ae18205ae386dda0682cb4d327483]'))
      .toBe('__cv_timedwait_common+0x12f/0x170 [spl]');
  });

  it('skips `<TASK>`/`</TASK>` and the register dump (RIP/RSP/RAX) after the frames (rook/rook#1018)', () => {
    const real = sample('rbd-fsck-hang/dmesg.txt');
    const { tasks } = tasksOf(real);
    const fsck = tasks.find((t) => t.pid === 28301)!;
    expect(fsck.stack).not.toContain('<TASK>');
    expect(fsck.stack.at(-1)).toBe('entry_SYSCALL_64_after_hwframe+0x76/0x7e');
    expect(fsck.stack.some((f) => f.startsWith('RIP') || f.startsWith('RAX'))).toBe(false);
    // https://github.com/rook/rook/issues/1018 (syslog-prefixed, 4.12): RAX… lines before the report
    const rook = one(fixture('rook-rook-1018.txt'));
    expect(rook).toMatchObject({ comm: 'jbd2/rbd0-8', pid: 21817, ppid: 2, state: 'D', line: 6 });
    expect(rook.stack).toEqual(['__schedule+0x2e0/0x890', '? __blk_mq_delay_run_hw_queue+0x9c/0xa0', '? bit_wait_timeout+0xa0/0xa0', 'schedule+0x36/0x80', 'io_schedule+0x16/0x40']);
  });

  it('does not give a stack whose report header was cut off to any task (rook/rook#1018, later trace)', () => {
    const { tasks, run } = tasksOf(fixture('rook-rook-1018-sync-trace.txt'));
    expect(tasks).toEqual([]);
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].lastLine).toBe(16);
  });

  it('reads arm64 frames marked `(T)` (qualcomm-linux/kernel#258, printk caller ids)', () => {
    // https://github.com/qualcomm-linux/kernel/issues/258
    const t = one(fixture('qualcomm-linux-kernel-258.txt'));
    expect(t).toMatchObject({ comm: 'swapper/0', pid: 1, tgid: 1, ppid: 0, blockedSec: 120 });
    expect(t.stack[0]).toBe('__switch_to+0x108/0x1c8');
    expect(t.stack).toHaveLength(11);
  });

  it('turns arm32 `X from Y` lines into one frame list and skips `r10:` register lines (raspberrypi/linux#4943)', () => {
    const { tasks } = tasksOf(fixture('raspberrypi-linux-4943-no-header.txt'));
    expect(tasks).toHaveLength(1);
    expect(tasks[0].source).toBe('sysrq-w'); // a task line with no hung-task header
    expect(tasks[0].stack).toEqual([
      '__schedule', 'schedule+0x64/0xe4', 'schedule_timeout+0x230/0x2d0', 'wait_for_completion+0xa0/0x128',
      'synchronize_srcu+0x58/0x84', 'fsnotify_connector_destroy_workfn+0x34/0x60', 'process_one_work+0x208/0x4e0',
      'worker_thread+0x34/0x598',
    ]);
  });

  it('reads the 6.x arm32 form without addresses: `__schedule from schedule+0x20/0x134` (raspberrypi/linux#6960)', () => {
    // https://github.com/raspberrypi/linux/issues/6960
    const t = one(fixture('raspberrypi-linux-6960.txt'));
    expect(t).toMatchObject({ comm: 'vchiq-keep/0', pid: 208, tgid: 208, ppid: 2, blockedSec: 122 });
    expect(t.stack).toEqual(['__schedule', 'schedule+0x20/0x134', 'schedule_preempt_disabled+0xc/0x10', 'kthread+0x88/0xd8', 'ret_from_fork+0x14/0x28']);
  });

  it('reads old arm frames with offsets on both sides in a SysRq-w dump with the old column header (TeamWin TWRP#946)', () => {
    // https://github.com/TeamWin/Team-Win-Recovery-Project/issues/946
    const { tasks, run } = tasksOf(fixture('teamwin-twrp-946.txt'));
    expect(tasks.map((t) => [t.source, t.comm, t.pid, t.ppid])).toEqual([['sysrq-w', 'kworker/u:0', 6, 2], ['sysrq-w', 'kworker/u:0H', 7, 2]]);
    expect(tasks[0].stack).toEqual([
      '__schedule+0x3e0/0x5ec', 'schedule_timeout+0x28/0x330', 'wait_for_common+0x134/0x17c', 'msm_mpm_work_fn+0xc/0x54',
      'process_one_work+0x254/0x3f0', 'worker_thread+0x19c/0x2dc', 'kthread+0xa0/0xac', 'kernel_thread_exit+0x0/0x8',
    ]);
    expect(run.captures[0].variant).toBe('sysrq-w');
  });
});

describe('kernel-log: lock owners, suppression, lockdep, SysRq headers and incident lines', () => {
  it('puts `blocked on a mutex likely owned by task zsh:470` on the blocked task as lockOwner', () => {
    // formats.md §4 "Related lines on 6.x"
    const t = one('INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.\n');
    expect(t).toMatchObject({ source: 'hung-task', comm: 'zsh', pid: 470, state: 'D' });
    expect(t.lockOwner).toEqual({ comm: 'zsh', pid: 470, kind: 'mutex' });
  });

  it('turns the owner task printed after the blocker line into a lock-owner KernelTask', () => {
    // Lines shaped by kernel/hung_task.c debug_show_blocker(): "INFO: task %s:%d blocked on a
    // semaphore likely last held by task %s:%d" followed by sched_show_task(owner).
    const text = `${REPORT_6_18}[  340.766900] INFO: task bash:7487 blocked on a semaphore likely last held by task fsfreeze:7490
[  340.766910] task:fsfreeze        state:S stack:0     pid:7490  tgid:7490  ppid:7483   task_flags:0x400000 flags:0x00000002
[  340.766915] Call Trace:
[  340.766916]  <TASK>
[  340.766917]  __schedule+0x3cc/0xf50
[  340.766918]  do_nanosleep+0x6a/0x170
`;
    const { tasks } = tasksOf(text);
    expect(tasks.map((t) => [t.source, t.comm, t.pid, t.state])).toEqual([['hung-task', 'bash', 7487, 'D'], ['lock-owner', 'fsfreeze', 7490, 'S']]);
    expect(tasks[0].lockOwner).toEqual({ comm: 'fsfreeze', pid: 7490, kind: 'semaphore' });
    expect(tasks[0].stack).toHaveLength(4);
    expect(tasks[1].stack).toEqual(['__schedule+0x3cc/0xf50', 'do_nanosleep+0x6a/0x170']);
  });

  it('reads a real rw-semaphore convoy: four hung tasks, one owner printed four times (Debian 12, 6.18)', () => {
    // `dmesg` on the Debian 12 test machine (kernel 6.18.44-fc-v669, hung_task_timeout_secs=10),
    // where another engineer's stat/touch/mkdir/cp waited on a directory lock held by a mkdir
    // stuck in a FUSE request.
    const { tasks, run } = tasksOf(fixture('debian12-rwsem-convoy.txt'));
    expect(tasks.map((t) => [t.source, t.comm, t.pid, t.state])).toEqual([
      ['hung-task', 'stat', 29403, 'D'], ['lock-owner', 'mkdir', 29401, 'S'], ['hung-task', 'touch', 29404, 'D'],
      ['hung-task', 'mkdir', 29405, 'D'], ['hung-task', 'cp', 29408, 'D'],
    ]);
    for (const t of tasks.filter((k) => k.source === 'hung-task')) {
      expect(t.lockOwner).toEqual({ comm: 'mkdir', pid: 29401, kind: 'rw-semaphore' });
    }
    expect(tasks[1].stack).toContain('request_wait_answer+0x112/0x210');
    expect(tasks.find((t) => t.pid === 29408)!.stack).toContain('rwsem_down_read_slowpath+0x253/0x530');
    expect(run.warnings).toEqual([]);
  });

  it('reads the rw-semaphore variant with <reader>/<writer> and a comm containing `:`', () => {
    // "INFO: task %s:%d <%s> blocked on an rw-semaphore likely owned by task %s:%d <%s>"
    const t = one('INFO: task kworker/u8:2:91 <writer> blocked on an rw-semaphore likely owned by task mount:900 <reader>\n');
    expect(t).toMatchObject({ comm: 'kworker/u8:2', pid: 91 });
    expect(t.lockOwner).toEqual({ comm: 'mount', pid: 900, kind: 'rw-semaphore' });
  });

  it('keeps `Future hung task reports are suppressed` in meta.notes', () => {
    const { meta } = tasksOf(`${REPORT_6_18}[  350.1] Future hung task reports are suppressed, see sysctl kernel.hung_task_warnings\n`);
    expect(meta[0].notes?.['hung-task-suppressed']).toBe('Future hung task reports are suppressed, see sysctl kernel.hung_task_warnings');
  });

  it('skips the `Showing all locks held in the system:` block without taking its frames', () => {
    const text = `${REPORT_6_18}[  340.767000] Showing all locks held in the system:
[  340.767001] 1 lock held by khungtaskd/38:
[  340.767002]  #0: ffffffff82f5e1a0 (rcu_read_lock){....}-{1:2}, at: debug_show_all_locks+0x15/0x183
[  340.767003] 2 locks held by bash/7487:
[  340.767004] =============================================
`;
    const { tasks, run } = tasksOf(text);
    expect(tasks).toHaveLength(1);
    expect(tasks[0].stack).toHaveLength(4);
    expect(run.captures[0].lastLine).toBe(15);
  });

  it('reads all three SysRq headers and the old column header', () => {
    for (const header of ['SysRq : Show Blocked State', 'sysrq: SysRq : Show Blocked State', 'sysrq: Show Blocked State']) {
      const { tasks } = tasksOf(`[ 1.0] ${header}\n[ 1.1]   task                        PC stack   pid father\n[ 1.2] mount           D ffff96f79a553150     0 11341  11254 0x00000080\n`);
      expect(tasks.map((t) => [t.source, t.pid])).toEqual([['sysrq-w', 11341]]);
    }
    const { tasks } = tasksOf('[ 5411.672739] sysrq: Show State\n[ 5411.682091] task:systemd         state:S stack:    0 pid:    1 ppid:     0 flags:0x00000000\n');
    expect(tasks.map((t) => [t.source, t.comm, t.pid, t.state])).toEqual([['sysrq-t', 'systemd', 1, 'S']]);
  });

  it('reads running tasks of a SysRq-t dump (`state:R  running task`, old `R running task`)', () => {
    // kernel/sched/core.c sched_show_task(): pr_cont("  running task    ") after the state letter
    expect(parseTaskLine('task:bash            state:R  running task     stack:0     pid:812   tgid:812   ppid:805    task_flags:0x400100 flags:0x00004002'))
      .toEqual({ comm: 'bash', state: 'R', pid: 812, tgid: 812, ppid: 805 });
    expect(parseTaskLine('bash            R  running task        0   812    805 0x00000000'))
      .toEqual({ comm: 'bash', state: 'R', pid: 812, ppid: 805 });
  });

  it('reads a SysRq-w dump pasted after its prompt line (qualcomm-linux/kernel#70)', () => {
    // https://github.com/qualcomm-linux/kernel/issues/70 — trailing spaces of the paste kept
    const { tasks, run } = tasksOf(fixture('qualcomm-linux-kernel-70.txt'));
    expect(tasks).toEqual([expect.objectContaining({ source: 'sysrq-w', comm: 'kworker/u17:0', pid: 72, tgid: 72, ppid: 2, workqueue: 'hci0 hci_power_on' })]);
    expect(run.unclaimed).toEqual([]);
  });

  it('keeps nfs, libceph and OOM lines in meta.notes for the rules', () => {
    const text = `[ 9001.1] nfs: server batalix not responding, still trying
[ 9002.2] libceph: osd3 down
[ 9003.3] Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:4194304kB
`;
    const { meta, tasks } = tasksOf(text);
    expect(tasks).toEqual([]);
    expect(meta[0].notes).toEqual({
      'kernel.nfs': 'nfs: server batalix not responding, still trying',
      'kernel.ceph': 'libceph: osd3 down',
      'kernel.oom': 'Out of memory: Killed process 4242 (java) total-vm:8388608kB, anon-rss:4194304kB',
    });
  });

  it('merges a repeated report of the same task into one KernelTask with the longest time (real 6.18 dmesg)', () => {
    const real = sample('rbd-fsck-hang/dmesg.txt');
    expect(real.match(/INFO: task fsck\.ext4:28301 blocked for more than (\d+)/g)?.length).toBeGreaterThan(1);
    const { tasks } = tasksOf(real);
    expect(tasks.filter((t) => t.pid === 28301)).toHaveLength(1);
    expect(tasks.find((t) => t.pid === 28301)!.blockedSec).toBe(20);
    // the report for 28302 names its parent by host PID (namespace PID 1)
    expect(tasks.find((t) => t.pid === 28302)).toMatchObject({ comm: 'fsck', ppid: 19358 });
  });
});

describe('kernel-log: prefixes, wraps and quoting (formats.md §6 item 21)', () => {
  it('strips `[  340.765154] ` time stamps', () => {
    expect(stripPrefix('[  340.765154] INFO: task bash:7487 blocked for more than 10 seconds.').text)
      .toBe('INFO: task bash:7487 blocked for more than 10 seconds.');
  });

  it('strips dmesg -T `[Wed Dec 19 03:36:07 2018] ` and chat quoting `> `', () => {
    expect(stripPrefix('[Wed Dec 19 03:36:07 2018] logrotate       D    0 17344  17342 0x00000080').text)
      .toBe('logrotate       D    0 17344  17342 0x00000080');
    const { run } = tasksOf(fixture('logrotate-logrotate-232.txt'));
    expect(run.unclaimed).toEqual([]);
  });

  it('strips syslog `Sep 28 08:07:01 node2 kernel: ` and skips other programs\' syslog lines', () => {
    expect(stripPrefix('Sep 28 08:07:01 node2 kernel: INFO: task jbd2/rbd0-8:21817 blocked for more than 120 seconds.').text)
      .toBe('INFO: task jbd2/rbd0-8:21817 blocked for more than 120 seconds.');
    const text = `Sep 28 08:04:58 node2 systemd[1]: Started Session 4 of user core.\n${fixture('rook-rook-1018.txt')}`;
    const { tasks, run } = tasksOf(text);
    expect(tasks.map((t) => t.pid)).toEqual([21817]);
    expect(run.unclaimed).toEqual([]);
  });

  it('strips `<6>[  125.364467][  T140] ` (printk level and caller id)', () => {
    expect(stripPrefix('<6>[  125.364467][  T140] sysrq: Show Blocked State').text).toBe('sysrq: Show Blocked State');
    const t = one(fixture('qualcomm-linux-kernel-258.txt'));
    expect(t.text[0]).toBe('INFO: task swapper/0:1 blocked for more than 120 seconds.');
  });

  it('strips journalctl `Nov 26 18:00:00 host kernel: `', () => {
    const journal = REPORT_6_18.split('\n').filter(Boolean)
      .map((l) => `Nov 26 18:00:00 host kernel: ${l.replace(/^\[[^\]]*\] /, '')}`).join('\n');
    const t = one(journal);
    expect(t).toMatchObject({ pid: 7487, ppid: 7483, tgid: 7487 });
    expect(t.stack).toHaveLength(4);
  });

  it('rejoins a 6.9 task line that wrapped after `pid:800`', () => {
    const t = one('INFO: task fsck.ext4:800 blocked for more than 120 seconds.\ntask:fsck.ext4       state:D stack:0     pid:800\ntgid:800   ppid:790    flags:0x00004002\nCall Trace:\n __schedule+0x3cc/0xf50\n');
    expect(t).toMatchObject({ comm: 'fsck.ext4', pid: 800, tgid: 800, ppid: 790, stack: ['__schedule+0x3cc/0xf50'] });
  });

  it('accepts frames that lost their `<...>` in a copy: `[] ? schedule_timeout+0x1ed/0x2d0`', () => {
    expect(parseFrame('[] ? schedule_timeout+0x1ed/0x2d0')).toBe('? schedule_timeout+0x1ed/0x2d0');
    expect(parseFrame(' [<ffffffff817203fd>] io_schedule+0x9d/0x140')).toBe('io_schedule+0x9d/0x140');
  });

  it('reads a report whose lines a mail client broke with quoted-printable `=` soft breaks', () => {
    const mail = 'INFO: task bash:7487 blocked for more than 10 sec=\nonds.\n"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this mes=\nsage.\ntask:bash            state:D stack:0     pid:7487  tgid:7487  ppid:7483   task_flags:0x400000 flags:0x00080001\nCall Trace:\n percpu_rwsem_wait+0x15f/0x1d0\nsee =3D above\n';
    const t = one(mail);
    expect(t).toMatchObject({ pid: 7487, blockedSec: 10, stack: ['percpu_rwsem_wait+0x15f/0x1d0'] });
  });

  it('keeps the indented continuation of a multi-line dmesg message inside the log', () => {
    // dmesg on the Debian 12 test machine (kernel 6.18.44-fc-v669)
    const text = `[    0.423240] amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.
               Please enable it if your BIOS has the CPPC option.
[    0.423243] amd_pstate: the _CPC object is not present in SBIOS or ACPI disabled
${REPORT_6_18}`;
    const { run, tasks } = tasksOf(text);
    expect(run.captures).toHaveLength(1);
    expect(run.unclaimed).toEqual([]);
    expect(tasks.map((t) => t.pid)).toEqual([7487]);
  });

  it('ends an unprefixed paste at the first line that is not kernel text', () => {
    const text = 'INFO: task bash:7487 blocked for more than 10 seconds.\ntask:bash            state:D stack:0     pid:7487  tgid:7487  ppid:7483   task_flags:0x400000 flags:0x00080001\nCall Trace:\n __schedule+0x3cc/0xf50\nUSER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n';
    const { run } = tasksOf(text);
    expect(run.captures[0].lastLine).toBe(4);
    expect(run.unclaimed).toEqual([5]);
  });
});

describe('kernel-log: the bundle dmesg section and real captures', () => {
  it('claims a whole bundle dmesg section, even plain lines, and ends at the next marker', () => {
    const text = '===== procscope dmesg =====\n[    1.385970] random: crng reseeded due to virtual machine fork\n# dmesg: read kernel buffer failed: Operation not permitted\n===== procscope mounts =====\nproc /proc proc rw 0 0\n';
    const run = runParser(kernelLog, text);
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0]).toMatchObject({ variant: 'dmesg', firstLine: 2, lastLine: 3 });
  });

  it('reads both hung-task reports of the real D-cluster capture and nothing else', () => {
    const { tasks, run } = tasksOf(sample('d-cluster-fuse/dmesg.txt'));
    expect(tasks.map((t) => [t.comm, t.pid, t.ppid])).toEqual([['dd', 27107, 27100], ['dd', 27108, 27100]]);
    for (const t of tasks) expect(t.stack).toContain('fuse_direct_IO+0x1b0/0x440');
    expect(run.warnings).toEqual([]);
  });

  it('reads every single-layout file of samples/dmesg-formats', () => {
    const files: [string, Partial<KernelTask>][] = [
      ['dmesg-task-line-2.6-4.2.txt', { comm: 'nfsd', pid: 3782, ppid: 2 }],
      ['dmesg-task-line-4.9-4.18.txt', { comm: 'logrotate', pid: 17344, ppid: 17342 }],
      ['dmesg-task-line-4.x-glued.txt', { comm: 'tracker-store', pid: 2469, ppid: 1847 }],
      ['dmesg-task-line-5.x.txt', { comm: 'kworker/u2:1', pid: 19868, ppid: 2 }],
      ['dmesg-task-line-6.9.txt', { comm: 'fsck.ext4', pid: 800, tgid: 800, ppid: 790 }],
      ['dmesg-task-line-6.18.txt', { comm: 'dd', pid: 7488, tgid: 7488, ppid: 7485 }],
      ['dmesg-sysrq-w-task-line-rhel7.txt', { comm: 'mount', pid: 11341, ppid: 11254 }],
      ['dmesg-sysrq-w-task-line-6.x.txt', { comm: 'kworker/u17:0', pid: 72, ppid: 2 }],
      ['dmesg-hung-task-6.18.txt', { comm: 'bash', pid: 7487, source: 'hung-task', blockedSec: 10 }],
    ];
    for (const [file, want] of files) {
      const { tasks } = tasksOf(sample(`dmesg-formats/${file}`), file);
      expect(tasks, file).toEqual([expect.objectContaining({ state: 'D', ...want })]);
    }
  });

  it('sniffs a timestamped dmesg line weakly and a hung-task line strongly', () => {
    const lines = ['[    1.385970] random: crng reseeded', '[  340.765154] INFO: task bash:7487 blocked for more than 10 seconds.', 'USER PID'];
    expect(kernelLog.sniff(lines, 0, { fileName: '' })).toBeLessThan(kernelLog.sniff(lines, 1, { fileName: '' }));
    expect(kernelLog.sniff(lines, 2, { fileName: '' })).toBe(0);
  });
});
