import { describe, expect, it } from 'vitest';
import { top, scaledKiB, topTimeSec, parseCpu, parseMem } from './top.ts';
import { fixture, neverThrows, rowsOf, runParser } from './__fixtures__/run-parser.ts';
import { ingest } from '../index.ts';
import { cleanupLines } from '../cleanup.ts';
import type { Meta } from '../../model/index.ts';

const F = (name: string) => fixture('top', name);
const byPid = (rows: ReturnType<typeof rowsOf>, pid: number) => rows.find((r) => r.pid === pid && r.kind === 'process');
const byTid = (rows: ReturnType<typeof rowsOf>, tid: number) => rows.find((r) => r.tid === tid);

// formats.md §2, procps `top -b -n1` (4.0.2), verbatim.
const REFERENCE_TOP = `top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07
Tasks:  25 total,   1 running,  22 sleeping,   0 stopped,   2 zombie
%Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st 
MiB Mem :  24152.1 total,  22826.6 free,    466.5 used,   1104.2 buff/cache     
MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23685.5 avail Mem 

    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
      5 root      20   0    2344   1152   1060 D   0.0   0.0   0:00.00 fix
      9 root     -11   0    2920   1812   1700 S   0.0   0.0   0:00.00 sleep
`;

describe('top -b summary block', () => {
  it('reads clock, uptime, users, load, tasks, cpu and memory of the reference output (§2)', () => {
    const run = runParser(top, REFERENCE_TOP);
    expect(run.captures).toHaveLength(1);
    const meta = run.captures[0].meta!;
    expect(meta.clock).toBe('17:51:47');
    expect(meta.uptimeSec).toBe(180);
    expect(meta.users).toBe(0);
    expect(meta.load).toEqual([0.78, 0.22, 0.07]);
    expect(meta.topTasks).toEqual({ unit: 'tasks', total: 25, running: 1, sleeping: 22, stopped: 0, zombie: 2 });
    // `ni,100.0 id` has no space after the comma.
    expect(meta.cpu).toMatchObject({ us: 0, ni: 0, id: 100, wa: 0, st: 0 });
    expect(meta.memKiB?.total).toBeCloseTo(24152.1 * 1024, 0);
    expect(meta.memKiB?.avail).toBeCloseTo(23685.5 * 1024, 0);
    expect(meta.memKiB?.swapTotal).toBe(0);
    expect(run.warnings).toEqual([]);
  });

  it('§6.22 keeps top\'s sleeping count as printed and stores no d-sleep before procps 4.0.5', () => {
    const meta = runParser(top, REFERENCE_TOP).captures[0].meta!;
    // 22 sleeping includes the D task (PID 5); no dsleep field is invented.
    expect(meta.topTasks?.sleeping).toBe(22);
    expect(meta.topTasks).not.toHaveProperty('dsleep');
    const rows = rowsOf(runParser(top, REFERENCE_TOP));
    expect(rows.find((r) => r.pid === 5)?.state).toBe('D');
  });

  it('§6.22 stores d-sleep separately from sleep on the 4.0.5 Tasks line (shape from formats.md §2)', () => {
    // formats.md §2: "From 4.0.5 the line is `N total, N running, N sleep, N d-sleep, N stopped, N zombie`".
    const text = REFERENCE_TOP.replace(
      'Tasks:  25 total,   1 running,  22 sleeping,   0 stopped,   2 zombie',
      'Tasks:  25 total,   1 running,  21 sleep,   1 d-sleep,   0 stopped,   2 zombie',
    );
    const meta = runParser(top, text).captures[0].meta!;
    expect(meta.topTasks).toEqual({ unit: 'tasks', total: 25, running: 1, sleeping: 21, dsleep: 1, stopped: 0, zombie: 2 });
  });

  it('reads uptime in every printed form', () => {
    const up = (s: string) => {
      const meta = runParser(top, `top - 10:00:00 up ${s},  2 users,  load average: 1.00, 2.00, 3.00\n`).captures[0].meta!;
      return [meta.uptimeSec, meta.users];
    };
    expect(up('3 min')).toEqual([180, 2]);
    expect(up(' 1:23')).toEqual([4980, 2]);
    expect(up('12 days,  3:04')).toEqual([12 * 86400 + 3 * 3600 + 4 * 60, 2]);
    expect(up('1 day, 43 min')).toEqual([86400 + 43 * 60, 2]);
  });

  it('reads old procps CPU and memory lines: `Cpu(s):  0.3%us,` and `Mem:  8061608k total` (§2)', () => {
    expect(parseCpu('  0.3%us,')).toEqual({ us: 0.3 });
    const meta: Meta = {};
    parseMem(undefined, 'Mem', '  8061608k total', meta);
    expect(meta.memKiB?.total).toBe(8061608);
    // The old first-line shape sniffs as top.
    expect(top.sniff(['Mem:  8061608k total'], 0, { fileName: '' })).toBeGreaterThan(0);
  });

  it('skips a memory value cut with `+` rather than storing a wrong number', () => {
    const meta: Meta = {};
    // top prints `NNNNNNNN+total` when the value is wider than its field (digits are lost).
    parseMem('KiB', 'Mem', ' 13174008+total, 12624616+free,  1981196 used,  3512732 buff/cache', meta);
    expect(meta.memKiB?.total).toBeUndefined();
    expect(meta.memKiB?.free).toBeUndefined();
    expect(meta.memKiB?.used).toBe(1981196);
  });

  it('converts KiB, MiB and GiB summary units (-E k, default, -E g) to KiB', () => {
    const k = runParser(top, F('top-b-n1-Ek-em.txt')).captures[0].meta!.memKiB!;
    const m = runParser(top, F('top-b-n1.txt')).captures[0].meta!.memKiB!;
    const g = runParser(top, F('top-b-n1-Eg-eg.txt')).captures[0].meta!.memKiB!;
    expect(k.total).toBe(24684084);
    expect(m.total! / k.total!).toBeCloseTo(1, 3);
    expect(g.total! / k.total!).toBeCloseTo(1, 2);
  });

  it('counts per-CPU lines (`1` toggle) as nCpu and averages them into the summary', () => {
    const meta = runParser(top, F('top-b-n1-per-cpu.txt')).captures[0].meta!;
    expect(meta.nCpu).toBe(2);
    expect(meta.cpu?.sy).toBe(50); // %Cpu0 0.0 sy, %Cpu1 100.0 sy
  });
});

describe('top -b task table', () => {
  it('reads state, priority, memory and CPU time of every row', () => {
    const run = runParser(top, F('top-b-n1.txt'));
    const rows = rowsOf(run);
    expect(rows).toHaveLength(23);
    expect(run.warnings).toEqual([]);
    const d = byPid(rows, 5)!;
    expect(d).toMatchObject({ kind: 'process', state: 'D', stat: 'D', user: 'root', vszKiB: 2476, rssKiB: 1508, shrKiB: 1408, nice: 0, pri: '20' });
    expect(byPid(rows, 7)?.state).toBe('Z');
    expect(byPid(rows, 16)?.cpuTimeSec).toBeCloseTo(1.28, 5);
    expect(byPid(rows, 17)?.pcpu).toBe(93.3);
    expect(run.captures[0]).toMatchObject({ format: 'top', variant: 'batch', firstLine: 1, lastLine: 30 });
  });

  it('§6.14 keeps RT priorities `rt` and `-11` and a negative nice', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1.txt')));
    expect(byPid(rows, 11)?.pri).toBe('-11'); // chrt -f 10
    expect(byPid(rows, 12)?.pri).toBe('rt'); // chrt -f 99
    expect(byPid(rows, 9)).toMatchObject({ pri: '15', nice: -5 });
  });

  it('§6.15 scales VIRT/RES values `20.0g`, `4.3m` (top -e m) to KiB', () => {
    expect(byPid(rowsOf(runParser(top, F('top-b-n1.txt'))), 18)?.vszKiB).toBe(20 * 1024 * 1024);
    const em = rowsOf(runParser(top, F('top-b-n1-Ek-em.txt')));
    expect(byPid(em, 1)?.vszKiB).toBe(Math.round(4.3 * 1024));
    expect(scaledKiB('1.2g')).toBe(Math.round(1.2 * 1024 * 1024));
    expect(scaledKiB('12m')).toBe(12 * 1024);
    expect(scaledKiB('2.5t')).toBe(Math.round(2.5 * 1024 ** 3));
    expect(scaledKiB('-')).toBeUndefined();
  });

  it('§6.15 treats `0.0g` (top -e g) as unknown, not zero', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1-Eg-eg.txt')));
    expect(byPid(rows, 2)?.vszKiB).toBeUndefined();
  });

  it('§6.12 reads TIME+ as m:ss.hh, h,mm, d+h and w+d (real top output with Tics_scaled)', () => {
    expect(byPid(rowsOf(runParser(top, F('top-b-n1-time-hours.txt'))), 1)?.cpuTimeSec).toBe(0); // `0,00`
    expect(byPid(rowsOf(runParser(top, F('top-b-n1-time-days.txt'))), 1)?.cpuTimeSec).toBe(0); // `0d+0h`
    expect(byPid(rowsOf(runParser(top, F('top-b-n1-time-weeks.txt'))), 1)?.cpuTimeSec).toBe(0); // `0w+0d`
  });

  it('§6.12 converts every TIME+ form top prints (formats.md §2/§6: `0:00.00`, `12,34`, `5h`, `3d`)', () => {
    expect(topTimeSec('0:00.00')).toBe(0);
    expect(topTimeSec('0:03.36')).toBeCloseTo(3.36, 5);
    expect(topTimeSec('1234:56')).toBe(1234 * 60 + 56);
    expect(topTimeSec('12,34')).toBe(12 * 3600 + 34 * 60);
    expect(topTimeSec('5h')).toBe(5 * 3600);
    expect(topTimeSec('3d')).toBe(3 * 86400);
    expect(topTimeSec('2w')).toBe(2 * 604800);
    expect(topTimeSec('3d+4h')).toBe(3 * 86400 + 4 * 3600);
    expect(topTimeSec('1w+2d')).toBe(604800 + 2 * 86400);
    expect(topTimeSec('?')).toBeUndefined();
  });

  it('§6.11 flags a COMMAND cut with `+` at 80 columns as truncated and drops the `+`', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1.txt')));
    expect(byPid(rows, 5)).toMatchObject({ comm: 'vfork_d', truncated: true });
    expect(byPid(rows, 3)).toMatchObject({ comm: 'a) (b c', truncated: true });
    expect(byPid(rows, 2)?.truncated).toBeUndefined();
    expect(runParser(top, F('top-b-n1.txt')).captures[0].fields).toContain('truncated');
  });

  it('§6.11 reads `top -c` as command lines, cut ones flagged (`perl -e+`)', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1-c.txt')));
    expect(byPid(rows, 15)).toMatchObject({ args: 'perl -e', truncated: true });
    expect(byPid(rows, 15)?.comm).toBeUndefined();
  });

  it('§6.3 keeps whole command lines under -w 512 -c, zombies as `[fix] <defunct>`', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1-w512-c.txt')));
    expect(byPid(rows, 23)?.args).toBe('bash -c sleep 100008; : a-very-long-argument-list-to-make-the-command-wider-than-eighty-columns-xxxxxxxxxxxx');
    expect(byPid(rows, 23)?.truncated).toBeUndefined();
    expect(byPid(rows, 7)).toMatchObject({ args: '[fix] <defunct>', comm: 'fix', state: 'Z' });
  });

  it('§6.10 keeps a cut user `averyve+` as printed and a numeric user as uid', () => {
    const rows = rowsOf(runParser(top, F('top-b-n1.txt')));
    expect(byPid(rows, 26)?.user).toBe('averyve+');
    expect(byPid(rows, 14)).toMatchObject({ user: '12345', uid: 12345 });
  });

  it('§6.4 reads a comm with spaces in a COMMAND column that is not last', () => {
    const run = runParser(top, F('top-b-n1-command-not-last-with-spaces.txt'));
    const rows = rowsOf(run);
    expect(run.captures[0].header).toEqual(['PID', 'USER', 'PR', 'NI', 'VIRT', 'RES', 'SHR', 'S', '%CPU', '%MEM', 'TIME+', 'COMMAND', 'PPID', 'nTH', 'P', 'WCHAN', 'TGID']);
    expect(byPid(rows, 2)).toMatchObject({ comm: 'a) (b c) R 1 2', ppid: 1, nlwp: 1, tgid: 2 });
    expect(byPid(rows, 3)).toMatchObject({ comm: 'fix', nlwp: 3 });
    expect(run.warnings).toEqual([]);
  });

  it('§6.2 reads columns by header name and token order whatever the order and PID width', () => {
    const run = runParser(top, F('top-b-n1-command-not-last.txt'));
    const rows = rowsOf(run);
    expect(byPid(rows, 15)).toMatchObject({ ppid: 11, comm: 'exe', wchan: 'do_sys_pa+', psr: 1, nlwp: 1 });
    // WCHAN `-` (running or dead) is null, not a symbol.
    expect(byPid(rows, 8)).toMatchObject({ state: 'Z', wchan: null });
  });

  it('keeps only the columns printed when the width cut the header (per-CPU layout, 80 columns)', () => {
    const run = runParser(top, F('top-b-n1-per-cpu.txt'));
    expect(run.captures[0].header?.at(-1)).toBe('%MEM');
    expect(byPid(rowsOf(run), 4)).toMatchObject({ state: 'D', ppid: 1 });
    expect(run.warnings).toEqual([]);
  });
});

describe('top -b -n N and top -H', () => {
  it('§6.1 makes one capture per iteration of top -b -n3, the 2nd and 3rd new moments', () => {
    const run = runParser(top, F('top-b-n3-d0.5.txt'));
    expect(run.captures.map((c) => [c.firstLine, c.lastLine, c.newMoment ?? false])).toEqual([[1, 30, false], [32, 61, true], [63, 92, true]]);
    const cpu = run.captures.map((c) => (c.rows ?? []).find((r) => r.pid === 17)?.cpuTimeSec);
    expect(cpu[0]! < cpu[1]! && cpu[1]! < cpu[2]!).toBe(true); // the spinner's TIME+ grows
  });

  it('§6.7 reads top -H rows as threads keyed by TID when there is no TGID column', () => {
    const run = runParser(top, F('top-H-b-n1.txt'));
    expect(run.captures[0]).toMatchObject({ variant: 'threads' });
    expect(run.captures[0].meta?.topTasks?.unit).toBe('threads');
    const hot = byTid(rowsOf(run), 20)!;
    expect(hot).toMatchObject({ kind: 'thread', pid: 20, tid: 20, comm: 'hot loop', state: 'R' });
  });

  it('§6.7 puts top -H threads under their process when TGID is shown', () => {
    const rows = rowsOf(runParser(top, F('top-H-b-n1-tgid-columns.txt')));
    expect(byTid(rows, 6)).toMatchObject({ kind: 'thread', pid: 2, tid: 6, tgid: 2, comm: 'worker-1', ppid: 1 });
    expect(byTid(rows, 4)).toMatchObject({ kind: 'thread', pid: 4, state: 'D', wchan: 'kernel_cl+' });
  });

  it('reads a top -H table as threads when the echoed command says -H and the summary is gone', () => {
    const lines = cleanupLines(F('top-H-b-n1.txt'));
    const table = lines.slice(6).join('\n');
    const run = runParser(top, table, { fileName: '', command: 'top -H -b -n1' });
    expect(rowsOf(run).every((r) => r.kind === 'thread')).toBe(true);
  });
});

describe('top sniffing and section limits', () => {
  it('parses a top table pasted without its summary block', () => {
    const lines = cleanupLines(F('top-b-n1.txt'));
    const run = runParser(top, lines.slice(6).join('\n'));
    expect(run.captures).toHaveLength(1);
    expect(rowsOf(run)).toHaveLength(23);
    expect(run.captures[0].meta).toEqual({});
  });

  it('does not claim ps, busybox top or busybox ps headers', () => {
    const no = (line: string) => expect(top.sniff([line], 0, { fileName: '' })).toBe(0);
    no('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    no('    PID USER     %CPU COMMAND');
    no('  PID  PPID USER     STAT   VSZ %VSZ %CPU COMMAND');
    no('Mem: 1257296K used, 23469800K free, 1688K shrd, 31056K buff, 232000K cached');
    no('PID   USER     COMMAND');
  });

  it('stops at a shell prompt and at text that is not top', () => {
    const text = `${REFERENCE_TOP}$ ps aux\nUSER PID\n`;
    const lines = cleanupLines(text);
    const res = top.parse(lines, 0, { input: 't', hint: { fileName: '' }, warn: () => {} });
    expect(res.end).toBe(9);
    expect(res.captures).toHaveLength(1);
  });

  it('keeps a summary-only capture (`top -b -n1 | head -5`)', () => {
    const head = cleanupLines(F('top-b-n1.txt')).slice(0, 5).join('\n');
    const run = runParser(top, head);
    expect(run.captures).toHaveLength(1);
    expect(run.captures[0].rows).toEqual([]);
    expect(run.captures[0].meta?.topTasks?.zombie).toBe(4);
  });

  it('warns about a row it cannot read, with the line, and keeps the others', () => {
    const text = REFERENCE_TOP.replace('      9 root     -11   0    2920   1812   1700 S   0.0   0.0   0:00.00 sleep', '      9 root     -11   0    2920');
    const run = runParser(top, text);
    expect(rowsOf(run).map((r) => r.pid)).toEqual([5]);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0].line).toBe(9);
    expect(run.warnings[0].message).toMatch(/expected 12 columns/);
  });
});

describe('top through the ingest driver', () => {
  it.each(['top-b-n1.txt', 'top-b-n3-d0.5.txt', 'top-H-b-n1.txt', 'top-H-b-n1-tgid-columns.txt', 'top-b-n1-command-not-last.txt', 'top-b-n1-per-cpu.txt', 'top-b-n1-c.txt', 'top-b-n1-Eg-eg.txt'])('%s is read as top by sniffing alone, and the same with its file name', (name) => {
    const text = fixture('top', name);
    const pasted = ingest([{ name: '', text }]);
    const named = ingest([{ name, text }]);
    expect(pasted.errors).toEqual([]);
    expect(pasted.inputs[0].sections.map((x) => x.format)).toEqual(pasted.inputs[0].sections.map(() => 'top'));
    expect(pasted.inputs[0].sections.length).toBeGreaterThan(0);
    expect(named.captures.map((c) => c.rows)).toEqual(pasted.captures.map((c) => c.rows));
  });
});

describe('top pasted through a terminal', () => {
  it('§6.16 reads the same rows from a paste with CRLF line ends and ANSI colours', () => {
    const plain = rowsOf(runParser(top, F('top-b-n1.txt')));
    const noisy = F('top-b-n1.txt').split('\n').map((l) => (l.startsWith('top - ') ? `\x1b[1m${l}\x1b[m\x1b[39;49m` : l)).join('\r\n');
    expect(rowsOf(runParser(top, noisy))).toEqual(plain);
  });
});

describe('top moments', () => {
  it('§6.1 gives each iteration of top -b -n3 its own moment in the ingest result', () => {
    const r = ingest([{ name: 'top.txt', text: fixture('top', 'top-b-n3-d0.5.txt') }]);
    expect(r.captures.map((c) => c.moment)).toEqual([0, 1, 2]);
  });
});

describe('top on damaged input', () => {
  it('never throws and always returns valid captures on shuffled, cut and spliced real lines', async () => {
    const { readdirSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '__fixtures__', 'top');
    const texts = readdirSync(dir).map((f) => fixture('top', f));
    await neverThrows(top, texts);
  });
});
