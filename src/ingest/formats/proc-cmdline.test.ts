import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cmdlineArgs, procCmdline } from './proc-cmdline.ts';
import { procWchan } from './proc-wchan.ts';
import { rowsOf, runParser } from './parse-for-test.ts';

const sample = (path: string) => readFileSync(new URL(`../../../samples/${path}`, import.meta.url), 'utf8');

describe('proc-cmdline', () => {
  it('turns `^@` separators into spaces and keeps a rewritten title as one string', () => {
    expect(cmdlineArgs('sleep^@100^@')).toBe('sleep 100');
    expect(cmdlineArgs('postgres: checkpointer   ')).toBe('postgres: checkpointer   ');
  });

  it('reads `grep -a -H . /proc/[0-9]*/cmdline`, one row per PID, an argv newline rejoined', () => {
    const run = runParser(procCmdline, sample('proc-cmdline/proc-cmdline.txt'));
    const rows = rowsOf(run);
    // pid 20's argv holds a newline: grep printed two prefixed lines for it
    expect(rows.filter((r) => r.pid === 20)).toHaveLength(1);
    expect(rows.find((r) => r.pid === 20)!.args).toMatch(/new line$/);
    expect(rows.find((r) => r.pid === 18)!.args).toBe('postgres: checkpointer   ');
    // zombies (empty cmdline) print nothing and get no row
    expect(rows.some((r) => r.pid === 10)).toBe(false);
    expect(run.warnings).toEqual([]);
  });

  it('reads `cat -v` output with `^@` when the echoed command names the PID', () => {
    const rows = rowsOf(runParser(procCmdline, '$ cat -v /proc/21979/cmdline\nfsck.ext4^@-a^@/dev/rbd3^@\n'));
    expect(rows).toEqual([{ line: 2, kind: 'process', pid: 21979, args: 'fsck.ext4 -a /dev/rbd3' }]);
  });

  it('reads the tr loop `/proc/1 /sbin/init splash` and leaves one-symbol lines to wchan', () => {
    const lines = ['/proc/1 /sbin/init splash', '/proc/5 fsck.ext4 -a /dev/rbd3'];
    expect(procCmdline.sniff(lines, 0, { fileName: '' })).toBeGreaterThan(procWchan.sniff(lines, 0, { fileName: '' }));
    const rows = rowsOf(runParser(procCmdline, lines.join('\n')));
    expect(rows.map((r) => [r.pid, r.args])).toEqual([[1, '/sbin/init splash'], [5, 'fsck.ext4 -a /dev/rbd3']]);
  });

  it('needs a PID: a bare command line without one is not claimed', () => {
    expect(procCmdline.sniff(['fsck.ext4^@-a^@/dev/rbd3^@'], 0, { fileName: '' })).toBe(0);
    expect(procCmdline.sniff(['fsck.ext4^@-a^@/dev/rbd3^@'], 0, { fileName: 'proc/21979/cmdline' })).toBeGreaterThan(0);
  });
});
