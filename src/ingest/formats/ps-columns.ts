// The columns of a procps `ps` header: what each header names, how it is aligned, how many
// tokens its values take, and which Row field it fills. Analysed once per table.
// Source: procps-ng 4.0.2 `ps L` and `src/ps/output.c` (format_array), checked by running
// `ps -o SPEC` for every specifier (reference/formats.md §1.1–1.2).

/** Which Row field a column fills ('text' = comm or args, decided per table). */
export type Field =
  | 'pid' | 'ppid' | 'pgid' | 'sid' | 'tpgid' | 'tgid' | 'tid' | 'nlwp' | 'psr'
  | 'uid' | 'user' | 'group' | 'tty' | 'stat' | 'wchan' | 'text'
  | 'pcpu' | 'pmem' | 'vsz' | 'rss' | 'nice' | 'pri' | 'cls'
  | 'time' | 'elapsed' | 'start' | 'extra';

/**
 * How many whitespace tokens a value takes:
 * - one: always one (`-` included);
 * - start: START is start_time (`17:51`, `Nov04`, ` 2026`: one) or bsdstart (`Nov  4`: two);
 * - started: STARTED is start (`17:51:29` one, `  Nov 04` two) or lstart
 *   (`Wed Nov  4 17:51:29 2026`: five);
 * - text: any number (comm, args, label, cgroup); when not the last column procps cuts it at
 *   its width, so its extent comes from the header alignment.
 */
export type Shape = 'one' | 'start' | 'started' | 'text';

export interface ColumnSpec { align: 'L' | 'R'; field: Field; shape: Shape }

const R = (field: Field, shape: Shape = 'one'): ColumnSpec => ({ align: 'R', field, shape });
const L = (field: Field, shape: Shape = 'one'): ColumnSpec => ({ align: 'L', field, shape });

/** Every header procps 4.0.2 prints (`ps L`), with its alignment and Row field. */
export const HEADERS: Readonly<Record<string, ColumnSpec>> = {
  PID: R('pid'), PPID: R('ppid'), PGID: R('pgid'), PGRP: R('pgid'), SID: R('sid'), SESS: R('sid'),
  TPGID: R('tpgid'), TGID: R('tgid'), TID: R('tid'), LWP: R('tid'), SPID: R('tid'),
  NLWP: R('nlwp'), THCNT: R('nlwp'), PSR: R('psr'),
  // `-o uid` is numeric and right-aligned; `-f` prints names under the same header, left-aligned.
  UID: R('uid'),
  USER: L('user'), EUSER: L('user'),
  GROUP: L('group'), EGROUP: L('group'),
  TTY: L('tty'), TT: L('tty'),
  STAT: L('stat'), S: L('stat'),
  WCHAN: L('wchan'),
  COMMAND: L('text', 'text'), CMD: L('text', 'text'),
  '%CPU': R('pcpu'), '%MEM': R('pmem'), VSZ: R('vsz'), RSS: R('rss'), RSZ: R('rss'),
  NI: R('nice'), PRI: R('pri'), CLS: R('cls'), POL: L('cls'),
  TIME: R('time'), ELAPSED: R('elapsed'),
  STIME: R('start'), START: R('start', 'start'), STARTED: R('start', 'started'),
  // Kept raw in Row.extra. Values with spaces: LABEL (`/usr/sbin/cupsd (enforce)`), CGROUP, EXE.
  LABEL: L('extra', 'text'), CONTEXT: L('extra', 'text'), CGROUP: L('extra', 'text'),
  CGNAME: L('extra', 'text'), EXE: L('extra', 'text'),
  F: R('extra'), C: R('extra'), ADDR: R('extra'), SZ: R('extra'), SIZE: R('extra'), RTPRIO: R('extra'),
  RUSER: L('extra'), SUSER: L('extra'), FUSER: L('extra'), FSUSER: L('extra'), SVUSER: L('extra'),
  RGROUP: L('extra'), SGROUP: L('extra'), FGROUP: L('extra'), FSGROUP: L('extra'), SVGROUP: L('extra'),
  SUPGRP: L('extra'), SUPGID: L('extra'), OWNER: L('extra'), SESSION: L('extra'), SEAT: L('extra'),
  SLICE: L('extra'), UNIT: L('extra'), UUNIT: L('extra'), MACHINE: L('extra'), LXC: L('extra'), ZONE: L('extra'),
  EUID: R('extra'), RUID: R('extra'), SUID: R('extra'), FUID: R('extra'), FSUID: R('extra'), SVUID: R('extra'), LUID: R('extra'),
  GID: R('extra'), EGID: R('extra'), RGID: R('extra'), SGID: R('extra'), FGID: R('extra'), FSGID: R('extra'), SVGID: R('extra'),
  '%CUC': R('extra'), '%CUU': R('extra'), AGID: R('extra'), AGNI: R('extra'), BLOCKED: R('extra'), CATCHED: R('extra'),
  CAUGHT: R('extra'), CGROUPNS: R('extra'), CP: R('extra'), CPUID: R('extra'), DRS: R('extra'), DSIZ: R('extra'),
  EIP: R('extra'), ESP: R('extra'), IGNORED: R('extra'), IPCNS: R('extra'), LIM: R('extra'), MAJFL: R('extra'),
  MAJFLT: R('extra'), MINFL: R('extra'), MINFLT: R('extra'), MNTNS: R('extra'), NETNS: R('extra'), NUMA: R('extra'),
  OOM: R('extra'), OOMADJ: R('extra'), PAGEIN: R('extra'), PENDING: R('extra'), PIDNS: R('extra'), PSS: R('extra'),
  RBYTES: R('extra'), RCHARS: R('extra'), ROPS: R('extra'), SCH: R('extra'), SIGNAL: R('extra'), STACKP: R('extra'),
  TIMENS: R('extra'), TRS: R('extra'), TRSS: R('extra'), TSIZ: R('extra'), USERNS: R('extra'), USS: R('extra'),
  UTSNS: R('extra'), WBYTES: R('extra'), WCBYTES: R('extra'), WCHARS: R('extra'), WOPS: R('extra'),
};

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
export const isKnownHeader = (name: string): boolean => hasOwn(HEADERS, name);

export interface Column extends ColumnSpec {
  name: string;
  /** Header text offsets in the header line, [start, end). */
  start: number;
  end: number;
  /** For a 'text' column: comm or args, once decided. */
  text?: 'comm' | 'args';
  /** For a non-last column: the width procps padded/cut it to, when the header shows it. */
  width?: number;
}

/** Whitespace-separated tokens of a line with their offsets. */
export function headerTokens(line: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const s = i;
    while (i < n && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ name: line.slice(s, i), start: s, end: i });
  }
  return out;
}

/** Columns of a header line; unknown names become raw `extra` columns of one token. */
export function columnsOf(line: string): Column[] {
  const toks = headerTokens(line);
  const cols: Column[] = toks.map((t, k) => {
    let spec = hasOwn(HEADERS, t.name) ? HEADERS[t.name] : R('extra');
    // `ps -f`: UID holds user names and is left-aligned at the start of the line.
    if (t.name === 'UID' && k === 0 && t.start === 0) spec = L('uid');
    return { ...spec, name: t.name, start: t.start, end: t.end };
  });
  for (let k = 0; k + 1 < cols.length; k++) {
    const c = cols[k];
    const next = cols[k + 1];
    // A left-aligned column is padded up to one space before a left-aligned neighbour. Before a
    // right-aligned one (`CMD                         %MEM`) the neighbour is at least as wide
    // as its header, so this is an upper bound: a value that long was cut.
    if (c.align === 'L' && next.align === 'L') c.width = next.start - c.start - 1;
    else if (c.align === 'L') c.width = next.end - next.name.length - 1 - c.start;
  }
  return cols;
}

/** Standard output formats (procps 4.0.2), by header, and whether their CMD/COMMAND is comm. */
export const STANDARD: Readonly<Record<string, { variant: string; comm?: boolean }>> = {
  'PID TTY TIME CMD': { variant: '-e', comm: true },
  'UID PID PPID C STIME TTY TIME CMD': { variant: '-ef' },
  'UID PID PPID C SZ RSS PSR STIME TTY TIME CMD': { variant: '-eF' },
  'F S UID PID PPID C PRI NI ADDR SZ WCHAN TTY TIME CMD': { variant: '-el', comm: true },
  'S UID PID PPID C PRI NI RSS SZ WCHAN TTY TIME CMD': { variant: '-ely', comm: true },
  'F S UID PID PPID C PRI NI ADDR SZ WCHAN STIME TTY TIME CMD': { variant: '-elf' },
  'F S UID PID PPID LWP C PRI NI ADDR SZ WCHAN TTY TIME CMD': { variant: '-elL', comm: true },
  'UID PID PPID LWP C NLWP STIME TTY TIME CMD': { variant: '-eLf' },
  'UID PID PPID LWP C NLWP SZ RSS PSR STIME TTY TIME CMD': { variant: '-eLF' },
  'F S UID PID PPID LWP C NLWP PRI NI ADDR SZ WCHAN STIME TTY TIME CMD': { variant: '-elfL' },
  'PID PGID SID TTY TIME CMD': { variant: '-ej', comm: true },
  'UID PID PPID PGID SID C STIME TTY TIME CMD': { variant: '-efj' },
  'PID LWP TTY TIME CMD': { variant: '-eL', comm: true },
  'PID SPID TTY TIME CMD': { variant: '-eT', comm: true },
  'UID PID SPID PPID C STIME TTY TIME CMD': { variant: '-efT' },
  'UID PID PPID CLS PRI STIME TTY TIME CMD': { variant: '-ecf' },
  'LABEL PID TTY TIME CMD': { variant: '-eZ', comm: true },
  'PPID PID PGID SID TTY TPGID STAT UID TIME COMMAND': { variant: 'axj' },
  'USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND': { variant: 'aux' },
  'USER PID LWP %CPU NLWP %MEM VSZ RSS TTY STAT START TIME COMMAND': { variant: 'aux -L' },
  'F UID PID PPID PRI NI VSZ RSS WCHAN STAT TTY TIME COMMAND': { variant: 'alx' },
  'PID TTY STAT TIME COMMAND': { variant: 'ax' },
  'LABEL PID TTY STAT TIME COMMAND': { variant: 'axZ' },
  'PID TTY STAT TIME MAJFL TRS DRS RSS %MEM COMMAND': { variant: 'axv' },
  'UID PID PENDING BLOCKED IGNORED CAUGHT STAT TTY TIME COMMAND': { variant: 'axs' },
};

/** Synthesised headers for a headerless `ps aux | grep x` paste (the echoed command names the format). */
export const HEADER_OF_COMMAND: Readonly<Record<string, string>> = {
  aux: 'USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND',
  '-ef': 'UID PID PPID C STIME TTY TIME CMD',
  '-eLf': 'UID PID PPID LWP C NLWP STIME TTY TIME CMD',
  axj: 'PPID PID PGID SID TTY TPGID STAT UID TIME COMMAND',
  alx: 'F UID PID PPID PRI NI VSZ RSS WCHAN STAT TTY TIME COMMAND',
  '-el': 'F S UID PID PPID C PRI NI ADDR SZ WCHAN TTY TIME CMD',
};

/** What the echoed command (`ps -eLf`, `sudo ps auxwwm`, `ps -eo pid,comm --forest`) says. */
export interface PsCommand {
  /** Thread listing: `-L`, `-T`, `-m` or BSD `H`/`m`. */
  threads: boolean;
  /** `-H`/`--forest`/BSD `f`. */
  forest: boolean;
  /** BSD `c`: COMMAND is comm. */
  bsdComm: boolean;
  /** Output specifiers from -o/o/--format, in order (`wchan:32` → `wchan`), when given. */
  specs?: string[];
  /** Standard format key for HEADER_OF_COMMAND (`aux`, `-ef`, …), when no -o. */
  standard?: string;
}

/** Reads a ps command line; undefined when it is not `ps …`. */
export function readPsCommand(command: string | undefined): PsCommand | undefined {
  if (!command) return undefined;
  const pipe = command.indexOf('|');
  const words = (pipe >= 0 ? command.slice(0, pipe) : command).trim().split(/\s+/);
  let k = 0;
  while (k < words.length && /^(?:sudo|env|timeout|nice|[A-Z_]+=\S*|\d+[smh]?)$/.test(words[k])) k++;
  if (k >= words.length || words[k].replace(/^.*\//, '') !== 'ps') return undefined;
  const cmd: PsCommand = { threads: false, forest: false, bsdComm: false };
  let letters = '';
  let bsdLetters = '';
  for (let i = k + 1; i < words.length; i++) {
    const w = words[i];
    // A comment pasted after the command: `$ ps auxm            (sos collects ps auxwwwm)`.
    if (w.startsWith('#') || w.startsWith('(') || w.startsWith('>') || w === '2>&1') break;
    if (w === '--forest') { cmd.forest = true; continue; }
    if (w === '--format' || w === '-o' || w === 'o' || w === '-O' || w === 'O') {
      if (i + 1 < words.length) cmd.specs = (cmd.specs ?? []).concat(splitSpecs(words[++i]));
      continue;
    }
    if (w.startsWith('--format=')) { cmd.specs = (cmd.specs ?? []).concat(splitSpecs(w.slice(9))); continue; }
    if (w.startsWith('--')) continue;
    if (w.startsWith('-')) {
      const oAt = w.indexOf('o', 1);
      if (oAt > 0) {
        letters += w.slice(1, oAt);
        const rest = w.slice(oAt + 1);
        if (rest) cmd.specs = (cmd.specs ?? []).concat(splitSpecs(rest));
        else if (i + 1 < words.length) cmd.specs = (cmd.specs ?? []).concat(splitSpecs(words[++i]));
      } else {
        letters += w.slice(1);
      }
    } else if (/^[a-zA-Z]+$/.test(w)) {
      const oAt = w.indexOf('o');
      if (oAt >= 0) {
        bsdLetters += w.slice(0, oAt);
        if (i + 1 < words.length) cmd.specs = (cmd.specs ?? []).concat(splitSpecs(words[++i]));
      } else {
        bsdLetters += w;
      }
    }
  }
  cmd.threads = /[LTm]/.test(letters) || /[Hm]/.test(bsdLetters);
  cmd.forest = cmd.forest || /H/.test(letters) || /f/.test(bsdLetters);
  cmd.bsdComm = /c/.test(bsdLetters);
  if (!cmd.specs) {
    if (bsdLetters.includes('u') && !/[jlvs]/.test(bsdLetters)) cmd.standard = 'aux';
    else if (bsdLetters.includes('j')) cmd.standard = 'axj';
    else if (bsdLetters.includes('l')) cmd.standard = 'alx';
    else if (/L/.test(letters) && /f/.test(letters)) cmd.standard = '-eLf';
    else if (/l/.test(letters)) cmd.standard = '-el';
    else if (/f/.test(letters)) cmd.standard = '-ef';
  }
  return cmd;
}

function splitSpecs(list: string): string[] {
  return list.split(',').filter((s) => s !== '').map((s) => s.replace(/[:=].*$/, ''));
}

/** Specifiers whose header is COMMAND or CMD, and which of comm/args they print. */
export const TEXT_SPECS: Readonly<Record<string, 'comm' | 'args'>> = {
  comm: 'comm', ucomm: 'comm', fname: 'comm', ucmd: 'comm',
  args: 'args', command: 'args', cmd: 'args',
};
