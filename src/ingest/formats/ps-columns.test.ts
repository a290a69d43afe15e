// Header analysis and what an echoed ps command line says about the table under it.
import { describe, expect, it } from 'vitest';
import { columnsOf, readPsCommand } from './ps-columns.ts';

describe('columnsOf', () => {
  it('gives each header its field, alignment and token shape', () => {
    const cols = columnsOf('    PID                  STARTED  STARTED  START STIME CMD');
    expect(cols.map((c) => [c.name, c.field, c.align, c.shape])).toEqual([
      ['PID', 'pid', 'R', 'one'], ['STARTED', 'start', 'R', 'started'], ['STARTED', 'start', 'R', 'started'],
      ['START', 'start', 'R', 'start'], ['STIME', 'start', 'R', 'one'], ['CMD', 'text', 'L', 'text'],
    ]);
  });

  it('reads the width procps gave a non-last comm (15) and args (27)', () => {
    const cols = columnsOf('    PID COMMAND         COMMAND                     STAT');
    expect(cols.map((c) => c.width)).toEqual([undefined, 15, 27, undefined]);
  });

  it('bounds the width of a left-aligned column before a right-aligned one by the header', () => {
    // `ps -o pid,cmd,%mem`: CMD is cut at 27 and %MEM is 4 wide.
    expect(columnsOf('  PID CMD                         %MEM %CPU')[1].width).toBe(27);
  });

  it('treats `-f` UID (names, at the left edge) as left-aligned and `-o uid` as right-aligned', () => {
    expect(columnsOf('UID          PID    PPID  C STIME TTY          TIME CMD')[0].align).toBe('L');
    expect(columnsOf('F S   UID     PID')[2].align).toBe('R');
  });

  it('keeps unknown headers as raw one-token columns', () => {
    expect(columnsOf('    PID WHATEVER')[1]).toMatchObject({ name: 'WHATEVER', field: 'extra', shape: 'one' });
  });
});

describe('readPsCommand', () => {
  it('reads thread, forest and comm flags from BSD and UNIX options', () => {
    expect(readPsCommand('ps -eLf')).toMatchObject({ threads: true, forest: false, standard: '-eLf' });
    expect(readPsCommand('sudo ps auxwwm')).toMatchObject({ threads: true, standard: 'aux' });
    expect(readPsCommand('ps axjf')).toMatchObject({ forest: true, standard: 'axj' });
    expect(readPsCommand('ps -ef --forest')).toMatchObject({ forest: true, standard: '-ef' });
    expect(readPsCommand('ps -ejH')).toMatchObject({ forest: true });
    expect(readPsCommand('ps auxc')).toMatchObject({ bsdComm: true, standard: 'aux' });
    expect(readPsCommand('ps alx')).toMatchObject({ standard: 'alx', threads: false });
    expect(readPsCommand('ps -el')).toMatchObject({ standard: '-el' });
  });

  it('reads -o lists in every spelling, dropping widths', () => {
    expect(readPsCommand('ps -eo pid,ppid,stat,wchan:32,cmd')?.specs).toEqual(['pid', 'ppid', 'stat', 'wchan', 'cmd']);
    expect(readPsCommand('ps -eLo pid,lwp,stat,wchan:20,comm')).toMatchObject({ threads: true, specs: ['pid', 'lwp', 'stat', 'wchan', 'comm'] });
    expect(readPsCommand('ps axo pid,ppid,user,group,lwp,nlwp,start_time,comm,cgroup')?.specs).toHaveLength(9);
    expect(readPsCommand('ps -o pid= -o comm')?.specs).toEqual(['pid', 'comm']);
    expect(readPsCommand('ps --format=pid,args')?.specs).toEqual(['pid', 'args']);
    expect(readPsCommand('ps -m -eo pid,tid,stat,wchan,cmd')).toMatchObject({ threads: true, specs: ['pid', 'tid', 'stat', 'wchan', 'cmd'] });
  });

  it('reads the command before a pipe or a pasted comment, and ignores other commands', () => {
    expect(readPsCommand('ps aux | grep fsck')).toMatchObject({ standard: 'aux' });
    expect(readPsCommand('ps auxm            (sos collects ps auxwwwm)')).toMatchObject({ threads: true, standard: 'aux' });
    expect(readPsCommand('/bin/ps -ef')).toMatchObject({ standard: '-ef' });
    expect(readPsCommand('top -b -n1')).toBeUndefined();
    expect(readPsCommand('pstree -p')).toBeUndefined();
    expect(readPsCommand(undefined)).toBeUndefined();
  });
});
