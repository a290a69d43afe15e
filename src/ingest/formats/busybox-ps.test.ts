import { describe, expect, it } from 'vitest';
import { busyboxPs, busyboxKiB, busyboxTimeSec, splitArgs } from './busybox-ps.ts';
import { fixture, neverThrows, rowsOf, runParser } from './__fixtures__/run-parser.ts';
import { ingest } from '../index.ts';

const F = (name: string) => fixture('busybox-ps', name);
const proc = (rows: ReturnType<typeof rowsOf>, pid: number) => rows.find((r) => r.pid === pid && r.kind === 'process');
const thread = (rows: ReturnType<typeof rowsOf>, tid: number) => rows.find((r) => r.kind === 'thread' && r.tid === tid);
const sniff = (line: string, command?: string) => busyboxPs.sniff([line], 0, { fileName: '', command });

// formats.md §2, verbatim rows (the `#` annotations of the document left out).
const REFERENCE_DEBIAN = `PID   USER     COMMAND
    4 root     {a) (b c) R 1 2} ./fix weird
   18 root     [fix]
   21 averyver sleep 100004
`;
const REFERENCE_ALPINE = `PID   USER     TIME  COMMAND
    1 root      0:00 {MainThread} node dispatcher.js
   11 101       0:00 nginx: worker process
`;

describe('busybox ps sniffing', () => {
  it('claims busybox\'s left-aligned headers and leaves procps\'s right-aligned ones alone', () => {
    expect(sniff('PID   USER     COMMAND')).toBeGreaterThanOrEqual(0.9);
    expect(sniff('PID   USER     TIME  COMMAND')).toBeGreaterThanOrEqual(0.9);
    expect(sniff('PID   PPID  USER     GROUP    VSZ  RSS  STAT COMMAND')).toBeGreaterThanOrEqual(0.9);
    expect(sniff('  PID USER       VSZ STAT COMMAND')).toBeGreaterThanOrEqual(0.9);
    // procps: `ps -o pid,user,args` (pid_max 4194304 and 32768), `ps -e`, `ps aux`, docker top.
    expect(sniff('    PID USER     COMMAND')).toBe(0);
    expect(sniff('  PID USER     COMMAND')).toBe(0);
    expect(sniff('    PID TTY          TIME CMD')).toBe(0);
    expect(sniff('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND')).toBe(0);
    expect(sniff('PID      TTY       STAT       TIME         COMMAND')).toBe(0);
  });

  it('trusts a re-spaced busybox header less, unless the echoed command was busybox', () => {
    expect(sniff('PID USER COMMAND')).toBeLessThan(0.9);
    expect(sniff('PID USER COMMAND', 'busybox ps')).toBeGreaterThanOrEqual(0.9);
    // procps `ps -o user,pid,args` starts at column 0 too, but its PID is right-aligned.
    expect(sniff('USER         PID COMMAND', 'ps -o user,pid,args')).toBeLessThan(0.9);
  });
});

describe('busybox ps default listings', () => {
  it('§6.9 busybox {comm} args prefix: comm is the name in braces, args the command line', () => {
    const rows = rowsOf(runParser(busyboxPs, REFERENCE_DEBIAN));
    expect(proc(rows, 4)).toMatchObject({ comm: 'a) (b c) R 1 2', args: './fix weird', user: 'root' });
    expect(splitArgs('{MainThread} node dispatcher.js')).toMatchObject({ comm: 'MainThread', args: 'node dispatcher.js', braced: true });
  });

  it('§6.8 busybox zombies shown as `[comm]` alone: comm from the brackets, state left unknown', () => {
    const rows = rowsOf(runParser(busyboxPs, REFERENCE_DEBIAN));
    expect(proc(rows, 18)).toMatchObject({ comm: 'fix', args: '[fix]' });
    expect(proc(rows, 18)?.state).toBeUndefined();
  });

  it('§6.10 keeps a user cut at 8 (`averyver`) and reads a numeric uid (`101`)', () => {
    expect(proc(rowsOf(runParser(busyboxPs, REFERENCE_DEBIAN)), 21)?.user).toBe('averyver');
    const alpine = rowsOf(runParser(busyboxPs, REFERENCE_ALPINE));
    expect(proc(alpine, 11)).toMatchObject({ user: '101', uid: 101, args: 'nginx: worker process', cpuTimeSec: 0 });
    expect(proc(alpine, 1)).toMatchObject({ comm: 'MainThread', args: 'node dispatcher.js' });
  });

  it('reads the real Debian default listing: 23 processes, no warnings', () => {
    const run = runParser(busyboxPs, F('ps.txt'));
    const rows = rowsOf(run);
    expect(rows).toHaveLength(23);
    expect(run.warnings).toEqual([]);
    expect(run.captures[0]).toMatchObject({ format: 'busybox-ps', variant: 'default', firstLine: 1, lastLine: 24 });
    expect(proc(rows, 14)).toMatchObject({ user: '12345', uid: 12345, args: 'sleep 100006' });
    // `perl … "tab<TAB>here" 'new<NL>line'`: busybox prints control bytes as spaces.
    expect(proc(rows, 15)?.args).toBe('perl -e sleep 100007 -- arg with spaces tab here new line');
    expect(rows.every((r) => r.kind === 'process')).toBe(true);
  });

  it('§6.11 reads non-DESKTOP `  PID USER       VSZ STAT COMMAND` and flags lines cut at 80 columns', () => {
    const run = runParser(busyboxPs, F('nondesktop-ps.txt'));
    const rows = rowsOf(run);
    expect(run.captures[0].variant).toBe('nondesktop');
    expect(proc(rows, 2)).toMatchObject({ user: 'root', vszKiB: 18868, stat: 'S', state: 'S', args: './fix threads' });
    expect(proc(rows, 5)).toMatchObject({ state: 'Z', vszKiB: 0, comm: 'fix' });
    expect(proc(rows, 1)).toMatchObject({ comm: 'scene4.sh', truncated: true });
    expect(proc(rows, 1)?.args).toBe('/bin/bash /tmp/psfix/scene4.sh /tmp/psfi');
    expect(proc(rows, 2)?.truncated).toBeUndefined();
  });
});

describe('busybox ps -o', () => {
  it('reads -o pid,ppid,user,stat,vsz,rss,args with scaled sizes (§6.15 busybox `18m`, `20g`)', () => {
    const rows = rowsOf(runParser(busyboxPs, F('ps-o-pid-ppid-user-stat-vsz-rss-args.txt')));
    expect(proc(rows, 2)).toMatchObject({ ppid: 1, vszKiB: 18 * 1024, rssKiB: 1252, state: 'S' });
    expect(proc(rows, 18)?.vszKiB).toBe(20 * 1024 * 1024);
    expect(proc(rows, 5)).toMatchObject({ state: 'D', stat: 'D' });
    expect(proc(rows, 9)).toMatchObject({ stat: 'S<', state: 'S' });
    expect(proc(rows, 21)).toMatchObject({ ppid: 5, state: 'Z', comm: 'vfork_dparent' });
    expect(busyboxKiB('1.2g')).toBe(Math.round(1.2 * 1024 * 1024));
    expect(busyboxKiB('-')).toBeUndefined();
  });

  it('reads every -o column busybox 1.35 has: pgid, sid, group, ruser, rgroup, nice, TT `136,2`', () => {
    const run = runParser(busyboxPs, F('ps-o-every-column.txt'));
    const rows = rowsOf(run);
    expect(run.warnings).toEqual([]);
    expect(proc(rows, 12)).toMatchObject({ ppid: 9, pgid: 12, sid: 12, tty: '136,2', comm: 'sleep', args: 'sleep 100008' });
    expect(proc(rows, 7)).toMatchObject({ nice: 10, stat: 'SN' });
    expect(proc(rows, 15)).toMatchObject({ user: 'averyver', group: 'averyver', extra: { RUSER: 'averyver', RGROUP: 'averyver' } });
    expect(proc(rows, 3)).toMatchObject({ comm: 'a) (b c) R 1 2', args: './fix weird' });
  });

  it('§6.4 reads a comm with spaces in a column that is not last (-o pid,comm,stat,args)', () => {
    const rows = rowsOf(runParser(busyboxPs, F('ps-o-pid-comm-stat-args.txt')));
    expect(proc(rows, 3)).toMatchObject({ comm: 'a) (b c) R 1 2', stat: 'S', args: './fix weird' });
    expect(proc(rows, 6)).toMatchObject({ comm: 'fix', state: 'Z', args: '[fix]' });
  });

  it('§6.5 tells a last COMMAND that is comm (-o …,comm) from args by its values', () => {
    const run = runParser(busyboxPs, F('ps-o-pid-user-vsz-rss-stat-tty-comm.txt'));
    const rows = rowsOf(run);
    expect(proc(rows, 3)).toMatchObject({ comm: 'a) (b c) R 1 2', tty: '?' });
    expect(proc(rows, 3)?.args).toBeUndefined();
    expect(run.captures[0].fields).toContain('comm');
    expect(run.captures[0].fields).not.toContain('args');
  });

  it('keeps the raw STAT and takes the FIRST letter as the state (`SW`, `IW<`: W appended for VSZ 0)', () => {
    const rows = rowsOf(runParser(busyboxPs, F('ps-o-pid-ppid-stat-vsz-args-kernel-threads.txt')));
    expect(proc(rows, 3)).toMatchObject({ stat: 'SW', state: 'S', ppid: 2, comm: 'pool_workqueue_' });
    expect(proc(rows, 4)).toMatchObject({ stat: 'IW<', state: 'I' });
  });

  it('§6.12 reads busybox TIME/ELAPSED (`%3lu:%02u` and its longer forms)', () => {
    expect(busyboxTimeSec('0:00')).toBe(0);
    expect(busyboxTimeSec('12:34')).toBe(12 * 60 + 34);
    expect(busyboxTimeSec('2h05')).toBe(2 * 3600 + 5 * 60);
    expect(busyboxTimeSec('3d04')).toBe(3 * 86400 + 4 * 3600);
    expect(busyboxTimeSec('123d')).toBe(123 * 86400);
    expect(busyboxTimeSec('-')).toBeUndefined();
  });
});

describe('busybox ps -T', () => {
  it('§6.7 reads -T rows as threads of the process above them (`6 root {worker-1} ./fix threads`)', () => {
    const run = runParser(busyboxPs, F('ps-T.txt'));
    const rows = rowsOf(run);
    expect(run.captures[0].variant).toBe('-T');
    expect(thread(rows, 6)).toMatchObject({ kind: 'thread', pid: 2, tid: 6, comm: 'worker-1', args: './fix threads' });
    expect(thread(rows, 20)).toMatchObject({ pid: 17, comm: 'hot loop' });
    expect(proc(rows, 2)).toMatchObject({ args: './fix threads' });
    // The zombies `[vfork_dparent]` 21 and 22 side by side stay two processes.
    expect(proc(rows, 21)).toBeDefined();
    expect(proc(rows, 22)).toBeDefined();
    expect(rows.filter((r) => r.kind === 'thread').map((r) => r.tid)).toEqual([6, 8, 19, 20]);
  });

  it('§6.7 reads -T -o with PPID and STAT, and non-DESKTOP -T', () => {
    const rows = rowsOf(runParser(busyboxPs, F('ps-T-o-pid-ppid-user-stat-comm-args.txt')));
    expect(thread(rows, 20)).toMatchObject({ pid: 17, state: 'R', comm: 'hot loop' });
    const nd = rowsOf(runParser(busyboxPs, F('nondesktop-ps-T.txt')));
    expect(thread(nd, 13)).toMatchObject({ pid: 2, comm: 'worker-2', vszKiB: 18868 });
    expect(thread(nd, 10)).toMatchObject({ pid: 6, state: 'R' });
  });

  it('groups identical rows as threads only with -T evidence (echoed command or PIDs out of order)', () => {
    const text = 'PID   USER     COMMAND\n    2 root     ./fix threads\n    6 root     ./fix threads\n';
    expect(rowsOf(runParser(busyboxPs, text)).every((r) => r.kind === 'process')).toBe(true);
    const withHint = rowsOf(runParser(busyboxPs, text, { fileName: '', command: 'busybox ps -T' }));
    expect(withHint.map((r) => r.kind)).toEqual(['process', 'thread']);
  });
});

describe('busybox ps in context', () => {
  it('§6.17 keeps PPID 0 of the namespace init (busybox ps -o in a container)', () => {
    const rows = rowsOf(runParser(busyboxPs, F('ps-o-every-column.txt')));
    expect(proc(rows, 1)).toMatchObject({ ppid: 0, comm: 'scene3.sh' });
  });

  it('§6.1 finds the header after a busybox shell prompt and an echoed command', () => {
    const r = ingest([{ name: '', text: `/ # busybox ps -o pid,ppid,user,stat,vsz,rss,args\n${F('ps-o-pid-ppid-user-stat-vsz-rss-args.txt')}` }]);
    expect(r.inputs[0].sections).toEqual([{ format: 'busybox-ps', variant: '-o', firstLine: 2, lastLine: 25 }]);
    expect(r.captures[0].rows[0]).toMatchObject({ pid: 1, line: 3 });
  });
});

describe('busybox ps robustness', () => {
  it('warns about a row with too few columns and keeps reading', () => {
    const text = 'PID   PPID  USER     STAT VSZ  RSS  COMMAND\n    1     0 root     S    4360 3192 init\n    2     1 root\n    3     1 root     S    2344  976 sleep 1\n';
    const run = runParser(busyboxPs, text);
    expect(rowsOf(run).map((r) => r.pid)).toEqual([1, 3]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatchObject({ line: 3 });
    expect(run.warnings[0].message).toMatch(/expected 7 columns/);
  });

  it('stops at a shell prompt after the listing', () => {
    const lines = `${REFERENCE_DEBIAN}/ # top -b -n1\nMem: 1K used\n`.split('\n');
    const res = busyboxPs.parse(lines, 0, { input: 't', hint: { fileName: '' }, warn: () => {} });
    expect(res.end).toBe(4);
  });
});

describe('busybox-ps through the ingest driver', () => {
  it.each(['ps.txt', 'ps-T.txt', 'ps-o-pid-ppid-user-stat-vsz-rss-args.txt', 'ps-o-every-column.txt', 'ps-o-pid-comm-stat-args.txt', 'nondesktop-ps.txt', 'ps-o-pid-ppid-stat-vsz-args-kernel-threads.txt'])('%s is read as busybox-ps by sniffing alone, and the same with its file name', (name) => {
    const text = fixture('busybox-ps', name);
    const pasted = ingest([{ name: '', text }]);
    const named = ingest([{ name, text }]);
    expect(pasted.errors).toEqual([]);
    expect(pasted.inputs[0].sections.map((x) => x.format)).toEqual(pasted.inputs[0].sections.map(() => 'busybox-ps'));
    expect(pasted.inputs[0].sections.length).toBeGreaterThan(0);
    expect(named.captures.map((c) => c.rows)).toEqual(pasted.captures.map((c) => c.rows));
  });
});

describe('busybox-ps on damaged input', () => {
  it('never throws and always returns valid captures on shuffled, cut and spliced real lines', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'busybox-ps');
    const texts = readdirSync(dir).map((f) => fixture('busybox-ps', f));
    await neverThrows(busyboxPs, texts);
  });
});
