import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupLines } from './cleanup.ts';
import { promptCommand } from './boundaries.ts';
import { ingest } from './index.ts';

const sample = (p: string) => readFileSync(path.resolve(__dirname, '../../samples', p), 'utf8');

describe('cleanup', () => {
  it('§6.16 strips CRLF and ANSI colours of a real terminal transcript, one line per input line', () => {
    const raw = sample('paste-mangled/typescript.txt');
    const lines = cleanupLines(raw);
    expect(lines.length).toBe(raw.split(/\r?\n|\r/).length - (raw.endsWith('\n') ? 1 : 0));
    expect(lines.some((l) => l.includes('\x1b') || l.includes('\r'))).toBe(false);
    expect(lines.some((l) => /^USER\s+PID\s+%CPU/.test(l))).toBe(true);
  });

  it('§6.1 reads the ps aux and top of a real transcript after their prompts', () => {
    const r = ingest([{ name: '', text: sample('paste-mangled/typescript.txt') }]);
    expect(r.captures.map((c) => c.format)).toEqual(expect.arrayContaining(['ps', 'top']));
  });

  it('§6.16 keeps tabs (/proc status is `Key:\\tvalue`) and turns cmdline NULs into spaces', () => {
    expect(cleanupLines('State:\tD (disk sleep)\n/proc/7/cmdline:sleep\x00100002\x00\n')).toEqual(['State:\tD (disk sleep)', '/proc/7/cmdline:sleep 100002']);
  });

  it('§6.21 removes chat/email quoting when most lines are quoted', () => {
    const text = '> USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n> root           5  0.0  0.0   2344  1152 ?        D    17:51   0:00 ./fix vforkhold\n';
    expect(cleanupLines(text)[1]).toBe('root           5  0.0  0.0   2344  1152 ?        D    17:51   0:00 ./fix vforkhold');
  });

  it('§6.21 rejoins quoted-printable soft breaks (`sec=` / `onds`) and keeps line numbers', () => {
    const text = 'INFO: task bash:7487 blocked for more than 10 sec=\nonds.\n"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message=3D.\nx=\ny\n';
    const lines = cleanupLines(text);
    expect(lines[0]).toBe('INFO: task bash:7487 blocked for more than 10 seconds.');
    expect(lines[1]).toBe('');
    expect(lines).toHaveLength(5);
  });

  it('§6.1 knows echoed commands behind prompts, and not data rows', () => {
    expect(promptCommand('[root@node-1 ~]# ps aux | grep fsck')).toBe('ps aux | grep fsck');
    expect(promptCommand('$ ps -eo pid,ppid,stat,wchan:32,lstart,cmd')).toBe('ps -eo pid,ppid,stat,wchan:32,lstart,cmd');
    expect(promptCommand('/ # ps')).toBe('ps');
    expect(promptCommand('root         1  0.0  0.0   2344  1152 ?        S    17:51   0:00 bash -c echo $ ps')).toBeUndefined();
    expect(promptCommand('# comment about ps')).toBeUndefined();
  });
});
