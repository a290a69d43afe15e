// procps ps tables. Inputs are real: the code blocks of reference/formats.md (copied verbatim)
// and __fixtures__/ps/ (captured with procps 4.0.2, see its README). Tests name the §6 edge case
// of formats.md they prove.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Capture, type Row } from '../../model/index.ts';
import { promptCommand } from '../boundaries.ts';
import { cleanupLines } from '../cleanup.ts';
import type { Hint } from '../types.ts';
import { psTable } from './ps-table.ts';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'ps');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** Runs psTable over a text the way src/ingest/index.ts does, validating every capture with zod. */
function run(text: string, command?: string) {
  const lines = cleanupLines(text);
  const hint: Hint = { fileName: '', command };
  const warnings: { line: number; message: string }[] = [];
  const ctx = { input: 'test', hint, warn: (i: number, message: string) => { warnings.push({ line: i + 1, message }); } };
  const captures: Capture[] = [];
  const unclaimed: number[] = [];
  for (let i = 0; i < lines.length;) {
    if (lines[i].trim() === '') { i++; continue; }
    const cmd = promptCommand(lines[i]);
    if (cmd !== undefined) { hint.command = cmd; i++; continue; }
    if (psTable.sniff(lines, i, hint) < 0.5) { unclaimed.push(i + 1); i++; continue; }
    const res = psTable.parse(lines, i, ctx);
    for (const d of res.captures) {
      captures.push(Capture.parse({ ...d, input: 'test', moment: 0, rows: d.rows ?? [], kernelTasks: [], meta: {}, warnings: [] }));
    }
    hint.command = command;
    i = Math.max(res.end, i + 1);
  }
  const rows = captures.flatMap((c) => c.rows);
  const pid = (p: number): Row => {
    const r = rows.find((x) => x.pid === p && x.kind === 'process') ?? rows.find((x) => x.pid === p);
    if (!r) throw new Error(`no row for PID ${p}`);
    return r;
  };
  return { captures, rows, warnings, unclaimed, pid, capture: captures[0] };
}

/** One line per row, `pid ppid state depth args|comm`, for readable expectations. */
const dump = (rows: Row[]): string[] => rows.map((r) =>
  [r.kind === 'thread' ? `${r.pid}/${r.tid ?? '?'}` : r.pid, r.ppid ?? '-', r.state ?? '-', r.depth ?? '-', r.args ?? r.comm ?? '-'].join(' '));

// ---- reference/formats.md code blocks, verbatim ----
const HEADERS_1_1 = String.raw`ps -e     |    PID TTY          TIME CMD
ps -ef    |UID          PID    PPID  C STIME TTY          TIME CMD
ps -el    |F S   UID     PID    PPID  C PRI  NI ADDR SZ WCHAN  TTY          TIME CMD
ps -eLf   |UID          PID    PPID     LWP  C NLWP STIME TTY          TIME CMD
ps axj    |   PPID     PID    PGID     SID TTY        TPGID STAT   UID   TIME COMMAND
ps aux    |USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
ps alx    |F   UID     PID    PPID PRI  NI    VSZ   RSS WCHAN  STAT TTY        TIME COMMAND
ps axf    |    PID TTY      STAT   TIME COMMAND`;

const AUX_1_3 = String.raw`USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
root           2  0.0  0.0  18868  1332 ?        Sl   17:51   0:00 ./fix threads
root           3  0.0  0.0   2344  2320 ?        SL   17:51   0:00 ./fix mlock
root           5  0.0  0.0   2344  1152 ?        D    17:51   0:00 ./fix vforkhold
root           8  0.0  0.0   2920  1888 ?        S<   17:51   0:00 sleep 100002
root          12  0.0  0.0   2920  1840 ?        S    17:51   0:00 /tmp/psfix/my (weird) prog 100005
root          13  0.0  0.0   7880  5056 ?        S    17:51   0:00 postgres: checkpointer   
root          14  0.0  0.0   7880  4832 ?        S    17:51   0:00 perl -e sleep 100007 -- arg with spaces tab?here new line
root          18  0.0  0.0      0     0 ?        Z    17:51   0:00 [fix] <defunct>
averyve+      21  0.0  0.0   2920  1812 ?        S    17:51   0:00 sleep 100004
root          23  0.0  0.0   4360  3132 pts/0    Ss+  17:51   0:00 bash -c sleep 100008 | cat
root        12  0.0  0.0      0     0 ?        I    17:47   0:00 [kworker/u8:0-writeback]
root        48  0.0  0.0      0     0 ?        I<   17:47   0:00 [kworker/u9:0]
`;

const TIMES_1_3 = String.raw`$ ps -o pid,lstart,start,bsdstart,stime,cmd -p 1
    PID                  STARTED  STARTED  START STIME CMD
      1 Wed Nov  4 17:51:29 2026   Nov 04 Nov  4 Nov04 sleep infinity
$ ps -o pid,etime,etimes,time,cputimes,bsdtime,cmd -p 2
    PID     ELAPSED ELAPSED     TIME     TIME   TIME CMD
      2  2-07:29:37  199777 1-02:40:00  96000 1600:00 ./fix threads
`;

const FOREST_1_4 = String.raw`$ ps -eo pid,ppid,comm --forest      (same art in ps -ef --forest, axjf, auxf)
    PID    PPID COMMAND
     78       0 bash
     79      78  \_ bash
     82      79  |   \_ sleep
     80      78  \_ bash
     83      80  |   \_ sh
     84      83  |       \_ sleep
     81      78  \_ sleep
`;

const THREADS_1_6 = String.raw`$ ps -mo pid,tid,%cpu,psr,%mem -p 2
    PID     TID %CPU PSR %MEM
      2       -  0.0   -  0.0
      -       2  0.0   0    -
      -      16  0.0   0    -
$ ps auxm            (sos collects ps auxwwwm)
root           2  0.0  0.0  18868  1332 ?        -    17:51   0:00 ./fix threads
root           -  0.0    -      -     - -        Sl   17:51   0:00 -
`;

const WCHAN_1_7 = String.raw`$ ps -eo pid,ppid,stat,wchan:32,cmd
    PID    PPID STAT WCHAN                            CMD
      5       1 D    kernel_clone                     ./fix vforkhold
     15       1 Ss   poll_schedule_timeout.constprop. script -qfc bash -c 'sleep 100008 | cat' /dev/null
     18       6 Z    -                                [fix] <defunct>
`;

const BUSYBOX_2 = String.raw`PID   USER     COMMAND                   # Debian busybox 1.35 (no FEATURE_PS_TIME)
    4 root     {a) (b c) R 1 2} ./fix weird       # {comm} prefix when comm != argv0
   18 root     [fix]                              # zombie: no <defunct>
   21 averyver sleep 100004                       # user cut at 8, no '+'
PID   USER     TIME  COMMAND                 # Alpine/busybox images (public)
    1 root      0:00 {MainThread} node dispatcher.js
   11 101       0:00 nginx: worker process        # numeric uid
`;

const TOP_2 = String.raw`top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07
Tasks:  25 total,   1 running,  22 sleeping,   0 stopped,   2 zombie
%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st 
MiB Mem :  24152.1 total,  22826.6 free,    466.5 used,   1104.2 buff/cache     
MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23685.5 avail Mem 

    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
      5 root      20   0    2344   1152   1060 D   0.0   0.0   0:00.00 fix
      9 root     -11   0    2920   1812   1700 S   0.0   0.0   0:00.00 sleep
`;

// reference/process-notes.txt (a real incident note; the rows are indented as in the note).
const FSCK_NOTE = `      [root@node-1 ~]# ps aux | grep fsck
      root     21973  0.0  0.0 123468  1336 ?        S    Jan14   0:00 fsck -a /dev/rbd3
      root     21979  0.0  0.0 121272  1388 ?        D    Jan14   0:00 fsck.ext4 -a /dev/rbd3
      root     25814  0.0  0.0 123728  1136 ?        D    11:06   0:00 fsck -a /dev/rbd3
      root     59653  0.0  0.0 123728  1136 ?        D    10:38   0:00 fsck -a /dev/rbd3
`;

describe('sniff', () => {
  it('claims every standard procps header of formats.md §1.1 with high confidence', () => {
    for (const entry of HEADERS_1_1.split('\n')) {
      const header = entry.slice(entry.indexOf('|') + 1);
      expect(psTable.sniff([header], 0, { fileName: '' }), header).toBeGreaterThanOrEqual(0.8);
    }
  });

  it("does not claim top's table header", () => {
    const lines = cleanupLines(TOP_2);
    const header = lines.findIndex((l) => l.includes('PID USER'));
    expect(psTable.sniff(lines, header, { fileName: '' })).toBe(0);
    expect(run(TOP_2).captures).toHaveLength(0);
  });

  it('leaves busybox headers (left-aligned PID) to the busybox parser with a low score', () => {
    const lines = cleanupLines(BUSYBOX_2);
    expect(psTable.sniff(lines, 0, { fileName: '' })).toBeLessThanOrEqual(0.3);
    expect(psTable.sniff(lines, 4, { fileName: '' })).toBeLessThanOrEqual(0.3);
    expect(psTable.sniff(['  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND'], 0, { fileName: '' })).toBeLessThanOrEqual(0.3);
    expect(psTable.sniff(['  PID USER       VSZ STAT COMMAND'], 0, { fileName: '' })).toBeLessThanOrEqual(0.3);
  });

  it('is more sure when the echoed command is ps', () => {
    const header = '    PID TTY          TIME CMD';
    expect(psTable.sniff([header], 0, { fileName: '', command: 'ps -e' }))
      .toBeGreaterThan(psTable.sniff([header], 0, { fileName: '' }));
  });

  it('does not claim rows, prose or an lsof header', () => {
    expect(psTable.sniff(['root           2  0.0  0.0  18868  1332 ?        Sl   17:51   0:00 ./fix threads'], 0, { fileName: '' })).toBe(0);
    expect(psTable.sniff(['the PID of the stuck process'], 0, { fileName: '' })).toBe(0);
    expect(psTable.sniff(['COMMAND     PID   TID TASKCMD       USER   FD      TYPE DEVICE SIZE/OFF NODE NAME'], 0, { fileName: '' })).toBe(0);
  });
});

describe('ps aux (formats.md §1.3)', () => {
  const r = run(AUX_1_3);

  it('reads every row with typed values and no warnings', () => {
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('aux');
    expect(r.capture.header).toEqual(['USER', 'PID', '%CPU', '%MEM', 'VSZ', 'RSS', 'TTY', 'STAT', 'START', 'TIME', 'COMMAND']);
    expect(r.rows).toHaveLength(12);
    expect(r.rows[0]).toEqual({
      line: 2, kind: 'process', pid: 2, user: 'root', pcpu: 0, pmem: 0, vszKiB: 18868, rssKiB: 1332,
      tty: '?', stat: 'Sl', state: 'S', startRaw: '17:51', cpuTimeSec: 0, args: './fix threads',
    });
    expect(r.capture.fields).toEqual(expect.arrayContaining(['pid', 'user', 'stat', 'state', 'args', 'vszKiB', 'rssKiB', 'startRaw', 'cpuTimeSec']));
  });

  it('§6.2 reads rows whose PID column is narrower (host kernel threads, pid_max 32768) by token order', () => {
    expect(r.rows.filter((x) => x.user === 'root' && x.stat?.startsWith('I')).map((x) => [x.pid, x.args]))
      .toEqual([[12, '[kworker/u8:0-writeback]'], [48, '[kworker/u9:0]']]);
  });

  it('§6.3 keeps spaces, `|`, `--` and parens of the last column and drops the padding of a rewritten title', () => {
    expect(r.pid(12).args).toBe('/tmp/psfix/my (weird) prog 100005');
    expect(r.pid(13).args).toBe('postgres: checkpointer');
    expect(r.pid(14).args).toBe('perl -e sleep 100007 -- arg with spaces tab?here new line');
    expect(r.pid(23).args).toBe('bash -c sleep 100008 | cat');
  });

  it('§6.8 flags [kernel threads] but not a [zombie] <defunct>', () => {
    expect(r.rows.find((x) => x.args === '[kworker/u8:0-writeback]')?.kthread).toBe(true);
    expect(r.pid(18)).toMatchObject({ state: 'Z', args: '[fix] <defunct>' });
    expect(r.pid(18).kthread).toBeUndefined();
  });

  it('§6.10 keeps a truncated user as printed', () => {
    expect(r.pid(21).user).toBe('averyve+');
  });

  it('takes the state letter from STAT and keeps the flags raw', () => {
    expect(r.rows.map((x) => `${x.state}:${x.stat}`)).toEqual(
      ['S:Sl', 'S:SL', 'D:D', 'S:S<', 'S:S', 'S:S', 'S:S', 'Z:Z', 'S:S', 'S:Ss+', 'I:I', 'I:I<']);
  });
});

describe('time columns (formats.md §1.3)', () => {
  const r = run(TIMES_1_3);

  it('§6.4 lstart spans 5 tokens in the middle, start and bsdstart 2 (`Nov 04`, `Nov  4`)', () => {
    expect(r.warnings).toEqual([]);
    expect(r.pid(1)).toMatchObject({ startRaw: 'Wed Nov  4 17:51:29 2026', startIso: '2026-11-04T17:51:29', args: 'sleep infinity' });
  });

  it('§6.5 tells ELAPSED etime from etimes and TIME time/cputimes/bsdtime apart by value shape', () => {
    // 2-07:29:37 = 199777 s; 1-02:40:00 = 96000 s = 1600:00 (bsdtime minutes).
    expect(r.pid(2)).toMatchObject({ elapsedSec: 199777, cpuTimeSec: 96000, args: './fix threads' });
    expect(r.captures.map((c) => c.header)).toEqual([
      ['PID', 'STARTED', 'STARTED', 'START', 'STIME', 'CMD'],
      ['PID', 'ELAPSED', 'ELAPSED', 'TIME', 'TIME', 'TIME', 'CMD'],
    ]);
  });

  it('§6.12 reads TIME 00:00:00 / 0:00 and ELAPSED MM:SS and plain seconds from real output', () => {
    const t = run(fixture('ps-eo-pid-etime-etimes-time-cputimes-bsdtime-cmd.txt'), 'ps -eo pid,etime,etimes,time,cputimes,bsdtime,cmd');
    expect(t.warnings).toEqual([]);
    for (const row of t.rows) {
      expect(row.cpuTimeSec).toBe(0);
      expect(row.elapsedSec).toBeLessThanOrEqual(2);
    }
  });
});

describe('non-last columns with spaces', () => {
  it('§6.4 comm with spaces and parens in the middle (`a) (b c) R 1 2`) before STAT', () => {
    const r = run(fixture('ps-eo-pid-comm-stat.txt'), 'ps -eo pid,comm,stat');
    expect(r.warnings).toEqual([]);
    expect(r.pid(10)).toMatchObject({ comm: 'a) (b c) R 1 2', stat: 'S', state: 'S' });
    expect(r.pid(14)).toMatchObject({ comm: 'vfork_dparent', state: 'D' });
    expect(r.rows.every((x) => x.args === undefined)).toBe(true);
  });

  it('§6.4 lstart then comm then STAT, found by shape without the echoed command', () => {
    const r = run(fixture('ps-eo-pid-lstart-comm-stat.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(10)).toMatchObject({ startIso: '2026-11-26T18:49:50', comm: 'a) (b c) R 1 2', state: 'S' });
    expect(r.pid(14)).toMatchObject({ comm: 'vfork_dparent', state: 'D' });
  });

  it('§6.5 COMMAND COMMAND is comm then args; the 27-wide args in the middle is flagged cut', () => {
    const r = run(fixture('ps-eo-pid-comm-args-stat.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(10)).toMatchObject({ comm: 'a) (b c) R 1 2', args: './a) (b c) R 1 2 100006', state: 'S' });
    expect(r.pid(13)).toMatchObject({ comm: 'perl', args: 'perl -e sleep 100009 -- arg', truncated: true });
    // Cut after a space, the value is one shorter than the column: not provably cut.
    expect(r.pid(11)).toMatchObject({ comm: 'python3', args: '/usr/bin/python3 -c import' });
    expect(r.pid(24)).toMatchObject({ comm: 'vfork_dparent', args: '[vfork_dparent] <defunct>', state: 'Z' });
    expect(r.pid(24).truncated).toBeUndefined();
  });

  it('§6.5 CMD CMD is ucmd then cmd, with a 6-wide WCHAN and LABEL `-` after them', () => {
    const r = run(fixture('ps-eo-pid-ucmd-cmd-wchan-label-stat.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.capture.header).toEqual(['PID', 'CMD', 'CMD', 'WCHAN', 'LABEL', 'STAT']);
    expect(r.pid(14)).toMatchObject({ comm: 'vfork_dparent', args: './vfork_dparent 3 /tmp/psx/', wchan: 'kernel', state: 'D' });
    expect(r.pid(26)).toMatchObject({ comm: 'vfork_dparent', wchan: null, state: 'Z' });
    expect(r.pid(14).extra).toBeUndefined(); // LABEL `-`: no label
  });

  it('§6.4 LABEL first (ps -eZ) ends where the right-aligned PID begins', () => {
    const r = run(fixture('ps-eZ.txt'), 'ps -eZ');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-eZ');
    expect(r.pid(10)).toMatchObject({ comm: 'a) (b c) R 1 2', tty: '?' });
  });

  it('§6.8 kernel thread comm cut at 15 in the middle, args `[...]` longer after it', () => {
    const r = run(fixture('ps-o-pid-ppid-stat-comm-args--ppid-2-p-2.txt'), 'ps -o pid,ppid,stat,comm,args --ppid 2 -p 2');
    expect(r.warnings).toEqual([]);
    expect(r.pid(6)).toMatchObject({ ppid: 2, stat: 'I<', comm: 'kworker/R-kvfre', args: '[kworker/R-kvfree_rcu_reclaim]', kthread: true });
    expect(r.pid(2)).toMatchObject({ ppid: 0, comm: 'kthreadd', args: '[kthreadd]' });
  });

  it('§6.11 args in the middle, before right-aligned %MEM: cut at 27 and flagged', () => {
    const r = run(fixture('ps-o-pid-cmd-pmem-pcpu--ppid-2-p-2.txt'), 'ps -o pid,cmd,%mem,%cpu --ppid 2 -p 2');
    expect(r.warnings).toEqual([]);
    expect(r.pid(6)).toMatchObject({ args: '[kworker/R-kvfree_rcu_recla', truncated: true, pmem: 0 });
    expect(r.pid(6).kthread).toBeUndefined(); // cut before its `]`: not provably a kernel thread
    expect(r.pid(4)).toMatchObject({ args: '[kworker/R-rcu_gp]', kthread: true });
    expect(r.pid(4).truncated).toBeUndefined();
  });

  it('§6.4 args first, before a right-aligned PID (the header says where it ends)', () => {
    const r = run(fixture('ps-o-args-pid-stat--ppid-2-p-2.txt'), 'ps -o args,pid,stat --ppid 2 -p 2');
    expect(r.warnings).toEqual([]);
    expect(r.pid(3)).toMatchObject({ args: '[pool_workqueue_release]', kthread: true, stat: 'S' });
    expect(r.rows).toHaveLength(14);
  });

  it('reads the sos `axo flags,state,uid,…,wchan:20,lstart,tty,time,cmd` list (lstart mid-line)', () => {
    const r = run(fixture('ps-axo-flags-state-uid-pid-ppid-pgid-sid-cls-pri-psr-addr-sz-wchan20-lstart-tty-time-cmd.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(8)).toMatchObject({ cls: 'FF', pri: '50', uid: 0, wchan: 'hrtimer_nanosleep', startIso: '2026-11-26T18:49:50', tty: '?', cpuTimeSec: 0, args: 'sleep 100014' });
    expect(r.pid(14)).toMatchObject({ stat: 'D', wchan: 'kernel_clone', extra: { F: '0', SZ: '619' } });
    expect(r.pid(14).extra?.ADDR).toBeUndefined(); // `-`: no value
  });
});

describe('standard formats from real output', () => {
  it('ps -ef: names under UID, numeric uid without a passwd entry (§6.10), PPID 0 for PID 1 (§6.17)', () => {
    const r = run(fixture('ps-ef.txt'), 'ps -ef');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-ef');
    expect(r.pid(1)).toMatchObject({ user: 'root', ppid: 0, startRaw: '18:49', tty: '?', cpuTimeSec: 0, args: '/bin/bash ./inns2.sh' });
    expect(r.pid(9)).toMatchObject({ uid: 4242, args: 'sleep 100005' });
    expect(r.pid(9).user).toBeUndefined();
  });

  it('ps -el: S column, numeric UID, 6-wide WCHAN, §6.14 NI `-` and PRI 49 for SCHED_FIFO, comm under CMD', () => {
    const r = run(fixture('ps-el.txt'), 'ps -el');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-el');
    expect(r.pid(8)).toMatchObject({ stat: 'S', uid: 0, pri: '49', wchan: 'hrtime', comm: 'sleep' });
    expect(r.pid(8).nice).toBeUndefined();
    expect(r.pid(7)).toMatchObject({ nice: -5, pri: '75' });
    expect(r.pid(10).comm).toBe('a) (b c) R 1 2');
  });

  it('ps alx: PRI -11 and NI `-` for RT (§6.14), WCHAN `-` is null', () => {
    const r = run(fixture('ps-alx.txt'), 'ps alx');
    expect(r.warnings).toEqual([]);
    expect(r.pid(8)).toMatchObject({ pri: '-11', wchan: 'hrtime', vszKiB: 2920 });
    expect(r.pid(8).nice).toBeUndefined();
    expect(r.pid(24)).toMatchObject({ state: 'Z', wchan: null, args: '[vfork_dparent] <defunct>' });
  });

  it('ps axj: PPID first, TPGID -1, UID numbers', () => {
    const r = run(fixture('ps-axj.txt'), 'ps axj');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('axj');
    expect(r.pid(19)).toMatchObject({ ppid: 16, pgid: 19, sid: 19, tty: 'pts/0', tpgid: 19, stat: 'Ss+', uid: 0 });
    expect(r.pid(9).uid).toBe(4242);
  });

  it('ps -e: CMD is comm', () => {
    const r = run(fixture('ps-e.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-e');
    expect(r.pid(11).comm).toBe('python3');
    expect(r.rows.every((x) => x.args === undefined)).toBe(true);
  });

  for (const [file, command, variant] of [
    ['ps-aux.txt', 'ps aux', 'aux'], ['ps-auxww.txt', 'ps auxww', 'aux'], ['ps-eF.txt', 'ps -eF', '-eF'],
    ['ps-elfL.txt', 'ps -elfL', '-elfL'], ['ps-eLF.txt', 'ps -eLF', '-eLF'], ['ps-axv.txt', 'ps axv', 'axv'],
    ['ps-eT.txt', 'ps -eT', '-eT'], ['ps-aux-L.txt', 'ps aux -L', 'aux -L'],
  ] as const) {
    it(`${command} reads every row without warnings, with and without the echoed command`, () => {
      const withCmd = run(fixture(file), command);
      const without = run(fixture(file));
      expect(withCmd.warnings).toEqual([]);
      expect(withCmd.capture.variant).toBe(variant);
      expect(withCmd.rows.length).toBe(cleanupLines(fixture(file)).length - 1);
      expect(without.rows).toEqual(withCmd.rows);
    });
  }
});

describe('forest and hierarchy (§6.6)', () => {
  it('§6.6 depth = art length / 4 with `\\_ ` and `|   `, art stripped from comm (formats.md §1.4)', () => {
    const r = run(FOREST_1_4);
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-o --forest');
    expect(dump(r.rows)).toEqual([
      '78 0 - 0 bash', '79 78 - 1 bash', '82 79 - 2 sleep', '80 78 - 1 bash', '83 80 - 2 sh', '84 83 - 3 sleep', '81 78 - 1 sleep',
    ]);
    expect(r.rows.every((x) => x.comm !== undefined && x.args === undefined)).toBe(true);
  });

  it('§6.6 ps -ef --forest: art stripped from args, children of PID 1 drawn at depth 0 (procps 4.0.2)', () => {
    const r = run(fixture('ps-ef--forest.txt'), 'ps -ef --forest');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-ef --forest');
    const tree = dump(r.rows.filter((x) => [17, 20, 22, 23, 29, 30].includes(x.pid)));
    expect(tree).toEqual([
      '17 1 - 0 bash -c (bash -c "sleep 100021 & sleep 100022; wait") & (bash -c "sleep 100023; wait") & wait',
      '20 17 - 1 bash -c sleep 100021 & sleep 100022; wait',
      '22 20 - 2 sleep 100021',
      '23 20 - 2 sleep 100022',
      '29 17 - 1 bash -c sleep 100023; wait',
      '30 29 - 2 sleep 100023',
    ]);
    expect(r.pid(25)).toMatchObject({ depth: 1, args: '[vfork_dparent] <defunct>', ppid: 14 });
    expect(r.pid(25).kthread).toBeUndefined();
  });

  for (const [file, command, variant] of [
    ['ps-axf.txt', 'ps axf', 'axf'], ['ps-auxf.txt', 'ps auxf', 'auxf'], ['ps-axjf.txt', 'ps axjf', 'axjf'],
  ] as const) {
    it(`§6.6 ${command}: same depths as ps -ef --forest`, () => {
      const forest = run(fixture('ps-ef--forest.txt'));
      const r = run(fixture(file), command);
      expect(r.warnings).toEqual([]);
      expect(r.capture.variant).toBe(variant);
      const depth = (rows: Row[]) => rows.filter((x) => x.args?.startsWith('ps ') !== true).map((x) => `${x.pid}:${x.depth}:${x.args}`);
      expect(depth(r.rows)).toEqual(depth(forest.rows));
    });
  }

  it('§6.6 ps -ejH: CMD (comm) indented 2 spaces per level', () => {
    const r = run(fixture('ps-ejH.txt'), 'ps -ejH');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-ejH');
    expect(r.rows.slice(0, 3).map((x) => [x.pid, x.depth, x.comm])).toEqual([[1, 0, 'inns2.sh'], [4, 1, 'sleep'], [5, 1, 'sleep']]);
    expect(r.pid(27)).toMatchObject({ depth: 3, comm: 'sleep', pgid: 19 });
  });

  it('§6.6 -eH and -efH indent the same way, without the echoed command', () => {
    const eH = run(fixture('ps-eH.txt'));
    const efH = run(fixture('ps-efH.txt'));
    expect(eH.capture.variant).toBe('-eH');
    expect(efH.capture.variant).toBe('-efH');
    const depths = (rows: Row[]) => rows.slice(0, -1).map((x) => `${x.pid}:${x.depth}`); // the last row is ps itself
    expect(depths(eH.rows)).toEqual(depths(efH.rows));
    expect(efH.pid(30)).toMatchObject({ depth: 3, args: 'sleep 100023' });
  });

  it('plain output gets no depth', () => {
    expect(run(fixture('ps-ef.txt')).rows.every((x) => x.depth === undefined)).toBe(true);
  });
});

describe('threads (§6.7)', () => {
  it('§6.7 `m` thread rows (PID `-`) follow their process; the process STAT `-` is unknown (formats.md §1.6)', () => {
    const r = run(THREADS_1_6);
    expect(r.warnings).toEqual([]);
    expect(r.captures.map((c) => c.variant)).toEqual(['-m -o', 'auxm']);
    const [mo, auxm] = r.captures;
    expect(mo.rows.map((x) => [x.kind, x.pid, x.tid, x.psr])).toEqual([['process', 2, undefined, undefined], ['thread', 2, 2, 0], ['thread', 2, 16, 0]]);
    expect(auxm.rows[0]).toMatchObject({ kind: 'process', pid: 2, args: './fix threads', vszKiB: 18868 });
    expect(auxm.rows[0].stat).toBeUndefined();
    expect(auxm.rows[1]).toEqual({ line: 8, kind: 'thread', pid: 2, tid: 2, user: 'root', pcpu: 0, stat: 'Sl', state: 'S', startRaw: '17:51', cpuTimeSec: 0 });
  });

  it('§6.7 ps auxm: each thread carries its own state; `-` placeholders are unknown, not zero (§6.15)', () => {
    const r = run(fixture('ps-auxm.txt'), 'ps auxm');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('auxm');
    const py = r.rows.filter((x) => x.pid === 11);
    expect(py.map((x) => [x.kind, x.tid, x.stat])).toEqual([
      ['process', undefined, undefined], ['thread', 11, 'Sl'], ['thread', undefined, 'Sl'], ['thread', undefined, 'Sl'], ['thread', undefined, 'Sl'],
    ]);
    const t = py[2];
    expect([t.vszKiB, t.rssKiB, t.pmem, t.tty, t.args]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(r.rows.find((x) => x.pid === 14 && x.kind === 'thread')?.state).toBe('D');
  });

  it('§6.7 ps -eLf repeats the PID with LWP: every row is a thread', () => {
    const r = run(fixture('ps-eLf.txt'), 'ps -eLf');
    expect(r.warnings).toEqual([]);
    expect(r.rows.every((x) => x.kind === 'thread')).toBe(true);
    expect(r.rows.filter((x) => x.pid === 11).map((x) => [x.tid, x.nlwp])).toEqual([[11, 4], [31, 4], [32, 4], [33, 4]]);
  });

  it('§6.7 ps -eLo with wchan:20: a repeated PID alone makes the listing per thread', () => {
    const r = run(fixture('ps-eLo-pid-lwp-stat-wchan20-comm.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-L -o');
    expect(r.rows.every((x) => x.kind === 'thread')).toBe(true);
    expect(r.rows.find((x) => x.pid === 14)).toMatchObject({ tid: 14, state: 'D', wchan: 'kernel_clone', comm: 'vfork_dparent' });
    expect(r.rows.find((x) => x.pid === 16)).toMatchObject({ wchan: 'poll_schedule_timeou', comm: 'script' });
  });

  it('§6.7 -o pid,tid without -L lists processes (TID = PID)', () => {
    const r = run(fixture('ps-eo-pid-tid-class-rtprio-ni-pri-psr-pcpu-stat-wchan14-comm.txt'), 'ps -eo pid,tid,class,rtprio,ni,pri,psr,pcpu,stat,wchan:14,comm');
    expect(r.warnings).toEqual([]);
    expect(r.rows.every((x) => x.kind === 'process' && x.tid === x.pid)).toBe(true);
    expect(r.pid(8)).toMatchObject({ cls: 'FF', extra: { RTPRIO: '10' }, pri: '50', comm: 'sleep' });
    expect(r.pid(8).nice).toBeUndefined();
  });

  it('§6.7 ps -mo: garbage PSR of procps 4.0.2 is kept raw, not as a CPU number', () => {
    const r = run(fixture('ps-mo-pid-tid-pcpu-psr-pmem.txt'), 'ps -mo pid,tid,%cpu,psr,%mem');
    expect(r.warnings).toEqual([]);
    expect(r.rows[1]).toMatchObject({ kind: 'thread', pid: 1, tid: 1, extra: { PSR: '-172389440' } });
    expect(r.rows[1].psr).toBeUndefined();
  });

  it('ps -em: thread rows with TTY `-`', () => {
    const r = run(fixture('ps-em.txt'), 'ps -em');
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-em');
    expect(r.rows.filter((x) => x.kind === 'thread')).toHaveLength(31);
  });
});

describe('cut and broken rows', () => {
  it('§6.11 COLUMNS=80 ps aux: the rows that reach column 80 are flagged truncated, the others not', () => {
    const r = run(fixture('ps-aux-COLUMNS80.txt'), 'ps aux');
    expect(r.warnings).toEqual([]);
    expect(r.pid(1)).toMatchObject({ args: '/bin/bash ./i', truncated: true });
    expect(r.pid(10)).toMatchObject({ args: './a) (b c) R', truncated: true });
    expect(r.pid(4).truncated).toBeUndefined();
    expect(r.capture.fields).toContain('truncated');
  });

  it('§6.11 COLUMNS=80 ps -ef: same', () => {
    const r = run(fixture('ps-ef-COLUMNS80.txt'), 'ps -ef');
    expect(r.pid(11)).toMatchObject({ args: '/usr/bin/python3 -c import t', truncated: true });
    expect(r.pid(1).truncated).toBeUndefined();
  });

  it('§6.11 two uncut rows that tie for longest are not taken for a cut', () => {
    // Real rows of ps-aux.txt: `sleep 100001` and `sleep 100003` are both 78 characters long.
    const lines = cleanupLines(fixture('ps-aux.txt'));
    const text = [lines[0], ...lines.filter((l) => / sleep 10000[13]$/.test(l))].join('\n');
    const r = run(text);
    expect(r.rows.map((x) => x.args)).toEqual(['sleep 100001', 'sleep 100003']);
    expect(r.rows.some((x) => x.truncated)).toBe(false);
  });

  it('§6.11 an uncut ps aux is not flagged', () => {
    expect(run(fixture('ps-aux.txt')).rows.some((x) => x.truncated)).toBe(false);
    expect(run(AUX_1_3).rows.some((x) => x.truncated)).toBe(false);
  });

  it('procps 4.0.2 crashing on -m with wchan: the half-printed rows become warnings, stderr ends the table', () => {
    const r = run(fixture('ps-m-eo-pid-tid-stat-wchan-cmd.txt'), 'ps -m -eo pid,tid,stat,wchan,cmd');
    expect(r.unclaimed).toEqual([1]); // `Signal 11 (SEGV) caught by ps (4.0.2).`
    expect(r.rows.map((x) => [x.kind, x.pid])).toEqual([['process', 1], ['process', 4]]);
    expect(r.warnings.map((w) => w.line)).toEqual([4, 6]);
    expect(r.warnings[0].message).toMatch(/ends after 4 of 5 columns \(PID TID STAT WCHAN CMD\)/);
    expect(r.warnings[1].message).toMatch(/STAT "Sps:src\/ps\/display.c:71:" is not a process state.*stopped while printing/);
  });

  it('§6.21 rejoins rows a narrow paste wrapped at 80 columns', () => {
    const original = fixture('ps-aux.txt');
    // What an 80-column terminal copy does to long rows: hard line breaks every 80 characters.
    const wrapped = original.split('\n').flatMap((l) => (l.match(/.{1,80}/g) ?? [''])).join('\n');
    const a = run(original);
    const b = run(wrapped);
    expect(b.warnings).toEqual([]);
    expect(b.rows.map((x) => [x.pid, x.args])).toEqual(a.rows.map((x) => [x.pid, x.args]));
    expect(b.pid(11).args).toContain('time.sleep(100000) ts=[threading.Thread(target=w, name="worker %d (io)"%i)');
  });

  it('§6.21 rejoins a row wrapped before its command (a very narrow paste)', () => {
    const lines = fixture('ps-ef.txt').split('\n');
    const k = lines.findIndex((l) => l.includes('sleep 100005'));
    const cut = lines[k].indexOf('00:00:00');
    lines.splice(k, 1, lines[k].slice(0, cut), lines[k].slice(cut));
    const r = run(lines.join('\n'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(9)).toMatchObject({ uid: 4242, cpuTimeSec: 0, args: 'sleep 100005', line: k + 1 });
  });

  it('warns about a row it cannot read, naming the column, and keeps going', () => {
    const lines = fixture('ps-aux.txt').split('\n');
    lines[3] = lines[3].replace(' S    18:49', ' ?    18:49');
    const r = run(lines.join('\n'));
    expect(r.warnings).toEqual([{ line: 4, message: expect.stringMatching(/STAT "\?" is not a process state/) }]);
    expect(r.rows).toHaveLength(cleanupLines(fixture('ps-aux.txt')).length - 2);
  });
});

describe('sections', () => {
  it('§6.1 finds the header after a prompt and stderr, and reads two pastes as two captures', () => {
    const aux = fixture('ps-aux.txt');
    const text = `[root@node-1 ~]# ps aux\nyour 131072x1 screen size is bogus. expect trouble\n${aux}[root@node-1 ~]# ps aux\n${aux}`;
    const r = run(text);
    expect(r.unclaimed).toEqual([2]);
    expect(r.captures).toHaveLength(2);
    expect(r.captures[0].firstLine).toBe(3);
    expect(r.captures[1].firstLine).toBe(3 + cleanupLines(aux).length + 1);
    expect(r.captures[0].rows).toEqual(r.captures[1].rows.map((x) => ({ ...x, line: x.line - cleanupLines(aux).length - 1 })));
  });

  it('stops at a bundle marker and at a line that is not a row', () => {
    const text = `${fixture('ps-e.txt')}===== procscope top =====\n${TOP_2}`;
    const r = run(text);
    expect(r.captures).toHaveLength(1);
    expect(r.capture.lastLine).toBe(cleanupLines(fixture('ps-e.txt')).length);
    const noBlank = `${fixture('ps-e.txt')}${TOP_2}`;
    expect(run(noBlank).capture.lastLine).toBe(cleanupLines(fixture('ps-e.txt')).length);
  });

  it('reads on over a blank line followed by rows, and stops at a blank line followed by prose', () => {
    const lines = fixture('ps-e.txt').split('\n');
    lines.splice(10, 0, '');
    const r = run(`${lines.join('\n')}\nthe rest is prose\n`);
    expect(r.rows).toHaveLength(cleanupLines(fixture('ps-e.txt')).length - 1);
    expect(r.unclaimed).toEqual([lines.length + 1]);
  });

  it('reads rows pasted under an echoed `ps aux | grep` with no header (process-notes.txt)', () => {
    const r = run(FSCK_NOTE);
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('aux');
    expect(r.capture.header).toBeUndefined();
    expect(r.rows.map((x) => [x.pid, x.state, x.startRaw, x.args])).toEqual([
      [21973, 'S', 'Jan14', 'fsck -a /dev/rbd3'], [21979, 'D', 'Jan14', 'fsck.ext4 -a /dev/rbd3'],
      [25814, 'D', '11:06', 'fsck -a /dev/rbd3'], [59653, 'D', '10:38', 'fsck -a /dev/rbd3'],
    ]);
  });

  it('reads `ps -ef | grep` rows (real ps -ef rows, as grep would keep them) with no header', () => {
    const rows = cleanupLines(fixture('ps-ef.txt')).filter((l) => / sleep 10002\d$/.test(l));
    const r = run(`root@n1:~# ps -ef | grep 'sleep 10002'\n${rows.join('\n')}\n`);
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-ef');
    expect(r.rows.map((x) => [x.pid, x.ppid, x.args])).toEqual([[22, 20, 'sleep 100021'], [23, 20, 'sleep 100022'], [30, 29, 'sleep 100023']]);
  });

  it('§6.16 CRLF line ends, ANSI colours and a header that lost its leading spaces', () => {
    const plain = run(fixture('ps-eo-pid-ppid-stat-wchan32-cmd.txt'));
    const mangled = fixture('ps-eo-pid-ppid-stat-wchan32-cmd.txt').replace(/^\s+/, '').replace(/\bD\b/, '\x1b[1;31mD\x1b[0m').replace(/\n/g, '\r\n');
    const r = run(mangled);
    expect(r.warnings).toEqual([]);
    expect(r.rows).toEqual(plain.rows);
  });
});

describe('wchan (formats.md §1.7)', () => {
  it('reads a wide WCHAN, `-` as null, and a zombie`s args', () => {
    const r = run(WCHAN_1_7);
    expect(r.warnings).toEqual([]);
    expect(dump(r.rows)).toEqual(['5 1 D - ./fix vforkhold', "15 1 S - script -qfc bash -c 'sleep 100008 | cat' /dev/null", '18 6 Z - [fix] <defunct>']);
    expect(r.rows.map((x) => x.wchan)).toEqual(['kernel_clone', 'poll_schedule_timeout.constprop.', null]);
  });
});

describe('comm of a zombie', () => {
  it('§6.8 strips ` <defunct>` from a 4.0.5+ zombie comm (`fix <defunct>`; 4.0.2 prints `fix`)', () => {
    // procps 4.0.5 NEWS #355: a zombie's comm gains ` <defunct>`. Made from the real 4.0.2 row of
    // ps-eo-pid-comm-stat.txt by writing the comm as 4.0.5 prints it.
    const lines = fixture('ps-eo-pid-comm-stat.txt').split('\n');
    const k = lines.findIndex((l) => /^\s+12 /.test(l));
    expect(lines[k]).toBe('     12 fix             S');
    const zombie = lines.findIndex((l) => /^\s+24 /.test(l));
    lines[zombie] = lines[zombie].replace('vfork_dparent  ', 'fix <defunct>  ');
    const r = run(lines.join('\n'), 'ps -eo pid,comm,stat');
    expect(r.warnings).toEqual([]);
    expect(r.pid(24)).toMatchObject({ comm: 'fix', state: 'Z' });
  });
});

describe('public/collect.sh formats', () => {
  it('reads the collector\'s ps section (user:32, wchan:32, etimes, lstart mid-line, args last)', () => {
    const r = run(fixture('ps-eww-o-pid-ppid-pgid-sid-user32-stat-wchan32-etimes-nlwp-psr-pcpu-pmem-vsz-rss-tty-lstart-args.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(8)).toEqual({
      line: 7, kind: 'process', pid: 8, ppid: 1, pgid: 0, sid: 0, user: 'root', stat: 'D', state: 'D', wchan: 'kernel_clone',
      elapsedSec: 1, nlwp: 1, psr: 1, pcpu: 0, pmem: 0, vszKiB: 2476, rssKiB: 1560, tty: '?',
      startRaw: 'Thu Nov 26 19:01:16 2026', startIso: '2026-11-26T19:01:16', args: './vfork_dparent 2 /tmp/psx/vf3.pids 100000',
    });
    expect(r.pid(6).nlwp).toBe(4);
  });

  it('reads the collector\'s threads section as threads, also from its bundle marker alone', () => {
    const text = fixture('ps-eLww-o-pid-tid-stat-wchan32-psr-pcpu-comm.txt');
    const r = run(text);
    expect(r.warnings).toEqual([]);
    expect(r.rows.filter((x) => x.pid === 6).map((x) => [x.kind, x.tid, x.stat, x.comm])).toEqual([
      ['thread', 6, 'Sl', 'python3'], ['thread', 19, 'Sl', 'python3'], ['thread', 20, 'Sl', 'python3'], ['thread', 21, 'Sl', 'python3'],
    ]);
    // Without thread 19–21 (no repeated PID) the bundle's `threads` marker still says what the rows are.
    const single = text.split('\n').filter((l) => !/^\s+6\s+(19|20|21)\s/.test(l)).join('\n');
    const lines = cleanupLines(single);
    const res = psTable.parse(lines, 0, { input: 'b', hint: { fileName: '', bundleSection: 'threads' }, warn: () => {} });
    expect(res.captures[0].rows?.every((x) => x.kind === 'thread')).toBe(true);
    const plain = psTable.parse(lines, 0, { input: 'b', hint: { fileName: '' }, warn: () => {} });
    expect(plain.captures[0].rows?.every((x) => x.kind === 'process')).toBe(true);
  });
});

describe('more -o layouts', () => {
  it('ps auxc: COMMAND holds comm, told by the unbracketed zombie even without the echoed command', () => {
    for (const command of ['ps auxc', undefined]) {
      const r = run(fixture('ps-auxc.txt'), command);
      expect(r.warnings).toEqual([]);
      expect(r.capture.variant).toBe('auxc');
      expect(r.pid(5).comm).toBe('a) (b c) R 1 2');
      expect(r.pid(11)).toMatchObject({ comm: 'fix', state: 'Z' });
      expect(r.rows.every((x) => x.args === undefined)).toBe(true);
    }
  });

  it('§6.5 args twice (`pid,args,stat,cmd`): keeps the uncut last column, not flagged', () => {
    const r = run(fixture('ps-eo-pid-args-stat-cmd.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.pid(6).args).toMatch(/^\/usr\/bin\/python3 -c import threading,time def w\(\):/);
    expect(r.pid(6).truncated).toBeUndefined();
    expect(r.pid(8)).toMatchObject({ state: 'D', args: './vfork_dparent 2 /tmp/psx/vf3.pids 100000' });
  });

  it('§6.6 -H indentation after a padded STAT column', () => {
    const r = run(fixture('ps-eo-pid-stat-comm-H.txt'));
    expect(r.warnings).toEqual([]);
    expect(r.capture.variant).toBe('-o -H');
    expect(dump(r.rows.filter((x) => [1, 9, 12, 15].includes(x.pid)))).toEqual(['1 - S 0 inns3.sh', '9 - S 1 bash', '12 - S 2 bash', '15 - S 3 sleep']);
  });

  it('§6.6 forest art after a padded WCHAN column', () => {
    const r = run(fixture('ps-e--forest-o-pid-ppid-stat-wchan20-args.txt'), 'ps -e --forest -o pid,ppid,stat,wchan:20,args');
    expect(r.warnings).toEqual([]);
    expect(dump(r.rows.filter((x) => [9, 12, 15, 13, 18].includes(x.pid)))).toEqual([
      '9 1 S 0 bash -c (bash -c "sleep 100021 & sleep 100022; wait") & (bash -c "sleep 100023; wait") & wait',
      '12 9 S 1 bash -c sleep 100021 & sleep 100022; wait', '15 12 S 2 sleep 100021', '13 9 S 1 bash -c sleep 100023; wait', '18 13 S 2 sleep 100023',
    ]);
    expect(r.pid(22)).toMatchObject({ depth: 1, wchan: 'hrtimer_nanosleep', state: 'S' });
  });

  it('§6.4 comm with spaces before a right-aligned lstart or etime, read from the right', () => {
    const a = run(fixture('ps-eo-pid-comm-lstart.txt'));
    expect(a.warnings).toEqual([]);
    expect(a.pid(5)).toMatchObject({ comm: 'a) (b c) R 1 2', startIso: '2026-11-26T19:01:16' });
    const b = run(fixture('ps-eo-pid-user-comm-etime.txt'));
    expect(b.warnings).toEqual([]);
    expect(b.pid(5)).toMatchObject({ user: 'root', comm: 'a) (b c) R 1 2', elapsedSec: 1 });
  });

  it('a header with no rows under it is a warning, not a silent empty table', () => {
    const r = run('    PID TTY          TIME CMD\n\nthat was all\n');
    expect(r.warnings).toEqual([{ line: 1, message: 'ps header with no rows under it' }]);
    expect(r.capture.rows).toEqual([]);
  });
});
