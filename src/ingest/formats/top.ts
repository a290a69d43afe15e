// procps-ng `top -b` (batch mode): a summary block, then the task table; `-n N` repeats both.
// Every `top - …` block starts a new capture; the 2nd and later ones are new moments.
//
//   top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07
//   Tasks:  25 total,   1 running,  22 sleeping,   0 stopped,   2 zombie
//   %Cpu(s):  0.0 us,  0.0 sy,  0.0 ni,100.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st
//   MiB Mem :  24152.1 total,  22826.6 free,    466.5 used,   1104.2 buff/cache
//   MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23685.5 avail Mem
//
//       PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
//         5 root      20   0    2344   1152   1060 D   0.0   0.0   0:00.00 fix
//
// The table may have any column order or subset top allows (toprc / `f`), so columns are read by
// header name and token order, never by offset. A table pasted without its summary also parses.
import { STATE_LETTERS, type Meta, type Row, type StateLetter } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import { tokenize } from './tokens.ts';
import type { CaptureDraft, FormatParser, ParseContext, ParseResult } from '../types.ts';

const LETTERS = new Set<string>(STATE_LETTERS);

// Column headers procps top prints (top_nls.c, 3.2 → 4.0.x). A table header is a line made only
// of these, with PID among them.
const TOP_COLUMNS = new Set([
  'PID', 'PPID', 'UID', 'USER', 'RUID', 'RUSER', 'SUID', 'SUSER', 'GID', 'GROUP', 'PGRP', 'TTY',
  'TPGID', 'SID', 'PR', 'NI', 'nTH', 'P', '%CPU', 'TIME', 'TIME+', '%MEM', 'VIRT', 'SWAP', 'RES',
  'CODE', 'DATA', 'SHR', 'nMaj', 'nMin', 'nDRT', 'nFLT', 'S', 'COMMAND', 'WCHAN', 'Flags', 'CGROUPS',
  'SUPGIDS', 'SUPGRPS', 'TGID', 'OOMa', 'OOMs', 'ENVIRON', 'vMj', 'vMn', 'USED', 'nsIPC', 'nsMNT',
  'nsNET', 'nsPID', 'nsUSER', 'nsUTS', 'LXC', 'RSan', 'RSfd', 'RSlk', 'RSsh', 'CGNAME', 'NU', 'LOGID',
  'EXE', 'RSS', 'PSS', 'PSan', 'PSfd', 'PSsh', 'USS', 'ioR', 'ioRop', 'ioW', 'ioWop', 'AGID', 'AGNI',
  'STARTED', 'ELAPSED', '%CUU', '%CUC', 'nsCGROUP', 'nsTIME', 'CLS', 'DOCKER', 'nFD',
]);
// Headers ps never prints: one of them tells a top table from `ps -o pid,user,%cpu,comm`.
const TOP_ONLY = new Set([
  'PR', 'VIRT', 'RES', 'SHR', 'TIME+', 'nTH', 'SWAP', 'CODE', 'DATA', 'nMaj', 'nMin', 'nDRT', 'nFLT',
  'vMj', 'vMn', 'USED', 'OOMa', 'OOMs', 'RSan', 'RSfd', 'RSlk', 'RSsh', 'CGNAME', 'PSS', 'PSan',
  'PSfd', 'PSsh', 'USS', 'ioR', 'ioRop', 'ioW', 'ioWop', 'AGID', 'AGNI', '%CUU', '%CUC', 'nFD',
]);
// Variable-width text columns: the only ones whose value may hold spaces (`a) (b c) R 1 2`).
const FREE_TEXT = new Set(['COMMAND', 'CGROUPS', 'SUPGRPS', 'ENVIRON', 'CGNAME', 'EXE']);

// What each header gives, in Row terms (Capture.fields).
const FIELD_OF: Record<string, readonly string[]> = {
  PID: ['pid'], PPID: ['ppid'], UID: ['uid'], USER: ['user'], GROUP: ['group'], TTY: ['tty'],
  PGRP: ['pgid'], SID: ['sid'], TPGID: ['tpgid'], TGID: ['tgid'], PR: ['pri'], NI: ['nice'],
  nTH: ['nlwp'], P: ['psr'], '%CPU': ['pcpu'], '%MEM': ['pmem'], TIME: ['cpuTimeSec'],
  'TIME+': ['cpuTimeSec'], VIRT: ['vszKiB'], RES: ['rssKiB'], SHR: ['shrKiB'], S: ['stat', 'state'],
  WCHAN: ['wchan'],
};

// `top - 17:51:47 up 3 min,  0 user,  load average: 0.78, 0.22, 0.07`
const TOP_LINE = /^top - (\S+) up (.*)$/;
const TASKS_LINE = /^(Tasks|Threads):(.*)$/;
// `%Cpu(s):  0.0 us,` (3.3+), `Cpu(s):  0.3%us,` (3.2), per CPU `%Cpu0  :` after `1`.
const CPU_LINE = /^%?Cpu(\(s\)|\d+)\s*:(.*)$/;
// `MiB Mem :`, `KiB Swap:`, `GiB Mem :` (3.3+, -E), old `Mem:  8061608k total,`.
const MEM_LINE = /^(?:([KMGTPE]iB) )?(Mem|Swap)\s*:(.*)$/;

export const top: FormatParser = {
  format: 'top',

  sniff(lines, start, hint) {
    const line = lines[start];
    if (line.startsWith('top - ')) return TOP_LINE.test(line) ? 0.95 : 0;
    const t = line.trimStart();
    const c = t.charCodeAt(0);
    // Summary lines on their own (a paste that lost the first line).
    if (c === 84 /* T */ && TASKS_LINE.test(t) && t.includes(' total')) return 0.9;
    if ((c === 37 /* % */ || c === 67 /* C */) && CPU_LINE.test(t) && /\d\s*%?\s*(?:us|sy|id)\b/.test(t)) return 0.85;
    if (/^(?:[KMGTPE]iB) (?:Mem|Swap)\s*:/.test(t) && t.includes('total')) return 0.85;
    // Old procps `Mem:  8061608k total,` — busybox's `Mem: 1257296K used,` has no `total`.
    if (t.startsWith('Mem:') && /^Mem:\s+\d+k total\b/.test(t)) return 0.7;
    if (c === 80 /* P */ || c === 85 /* U */ || t.includes('PID')) {
      const cols = tableHeader(line);
      if (cols) return hint.command !== undefined && /\btop\b/.test(hint.command) ? 0.95 : 0.9;
    }
    return 0;
  },

  parse(lines, start, ctx) {
    return parseTop(lines, start, ctx);
  },
};

/** The header's column names, or undefined when the line is not a top table header. */
function tableHeader(line: string): string[] | undefined {
  const cols = line.trim().split(/\s+/);
  if (cols.length < 2 || !cols.includes('PID')) return undefined;
  let topOnly = false;
  for (const c of cols) {
    if (!TOP_COLUMNS.has(c)) return undefined;
    if (TOP_ONLY.has(c)) topOnly = true;
  }
  return topOnly ? cols : undefined;
}

function parseTop(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const captures: CaptureDraft[] = [];
  const hint = ctx.hint;
  const hintThreads = hint.command !== undefined && /\btop\b/.test(hint.command) && /(?:^|\s)-\w*H/.test(hint.command);
  const hintArgs = hint.command !== undefined && /\btop\b/.test(hint.command) && /(?:^|\s)-\w*c/.test(hint.command);
  let i = start;
  let end = start + 1;
  const n = lines.length;

  while (i < n) {
    const first = i;
    const meta: Meta = {};
    let sawTopLine = false;
    let sawSummary = false;
    let threads = hintThreads;
    let cpuLines = 0;
    const cpuSum: Record<string, number> = {};
    let header: string[] | undefined;
    let lastSummary = i;
    let stop = false;

    // 1. The summary block, up to the table header.
    while (i < n) {
      const line = lines[i];
      const t = line.trim();
      if (t === '') { i++; continue; }
      if (i !== start && isBoundary(line)) { stop = true; break; }
      if (line.startsWith('top - ')) {
        if (sawTopLine) break; // next iteration printed without a table (`top -b -n3 | head`)
        sawTopLine = true; sawSummary = true; lastSummary = i;
        parseTopLine(line, meta);
        i++; continue;
      }
      let m = TASKS_LINE.exec(t);
      if (m) {
        if (m[1] === 'Threads') threads = true;
        parseTasks(m[1], m[2], meta, ctx, i);
        sawSummary = true; lastSummary = i; i++; continue;
      }
      m = CPU_LINE.exec(t);
      if (m) {
        const vals = parseCpu(m[2]);
        if (!vals) {
          // Graph mode (`t` toggle): `%Cpu(s):   0.5/0.3     1[|   ]` has no `N us` pairs.
          ctx.warn(i, 'top CPU line not read: expected "N us, N sy, … N st" (graph mode?)');
        } else if (m[1] === '(s)') {
          meta.cpu = vals;
        } else {
          cpuLines++;
          for (const k in vals) cpuSum[k] = (cpuSum[k] ?? 0) + vals[k];
        }
        sawSummary = true; lastSummary = i; i++; continue;
      }
      m = MEM_LINE.exec(t);
      if (m && (m[1] !== undefined || /\d+k\s/.test(m[3]))) {
        parseMem(m[1], m[2] as 'Mem' | 'Swap', m[3], meta);
        sawSummary = true; lastSummary = i; i++; continue;
      }
      // NUMA node lines (`%Node0 :`) and similar extras: part of the block, not needed.
      if (/^%Node\d+\s*:/.test(t)) { i++; continue; }
      header = tableHeader(line);
      if (!header) stop = true; // not top any more
      break;
    }

    if (cpuLines > 0) {
      meta.nCpu = cpuLines;
      // The summary line is hidden when per-CPU lines are shown (`1`); their mean is that summary.
      if (!meta.cpu) {
        const avg: Record<string, number> = {};
        for (const k in cpuSum) avg[k] = Math.round((cpuSum[k] / cpuLines) * 10) / 10;
        meta.cpu = avg;
      }
    }

    if (!header) {
      if (sawSummary) {
        captures.push(draft(captures.length, first, lastSummary, meta, threads, [], undefined, false));
        end = lastSummary + 1;
        if (!stop && i < n && lines[i].startsWith('top - ')) continue;
      }
      break;
    }

    // 2. The table.
    const headerLine = i;
    const table = readTable(lines, i + 1, header, threads, hintArgs, ctx);
    i = table.end;
    captures.push(draft(captures.length, first, Math.max(headerLine, table.lastRow), meta, threads, table.rows, header, table.argsMode, table.truncated));
    end = Math.max(headerLine, table.lastRow) + 1;

    // 3. Another iteration follows after blank lines?
    let j = i;
    while (j < n && lines[j].trim() === '') j++;
    if (j < n && lines[j].startsWith('top - ') && TOP_LINE.test(lines[j])) { i = j; continue; }
    break;
  }
  return { captures, end: Math.max(end, start + 1) };
}

function draft(
  index: number, first: number, last: number, meta: Meta, threads: boolean, rows: Row[],
  header: string[] | undefined, argsMode: boolean, truncated = false,
): CaptureDraft {
  const fields = new Set<string>();
  if (header) {
    for (const h of header) {
      if (h === 'COMMAND') fields.add(argsMode ? 'args' : 'comm');
      else for (const f of FIELD_OF[h] ?? ['extra']) fields.add(f);
    }
    if (threads) fields.add('tid');
    if (threads && !header.includes('TGID')) fields.delete('pid');
    if (truncated) fields.add('truncated');
  }
  const d: CaptureDraft = {
    format: 'top',
    variant: threads ? 'threads' : 'batch',
    firstLine: first + 1,
    lastLine: last + 1,
    fields: [...fields],
    rows,
    meta,
  };
  if (header) d.header = header;
  if (index > 0) d.newMoment = true;
  return d;
}

// ---- summary lines -------------------------------------------------------------------------

function parseTopLine(line: string, meta: Meta): void {
  const m = TOP_LINE.exec(line);
  if (!m) return;
  meta.clock = m[1];
  const rest = m[2];
  const la = rest.indexOf('load average:');
  const left = la >= 0 ? rest.slice(0, la) : rest;
  let up = 0;
  let upKnown = false;
  for (const part of left.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    let m2 = /^(\d+) users?$/.exec(p);
    if (m2) { meta.users = Number(m2[1]); continue; }
    // `up 3 min`, `up  1:23`, `up 12 days,  3:04`, `up 1 day, 43 min`
    if ((m2 = /^(\d+) days?$/.exec(p))) { up += Number(m2[1]) * 86400; upKnown = true; continue; }
    if ((m2 = /^(\d+):(\d{2})$/.exec(p))) { up += Number(m2[1]) * 3600 + Number(m2[2]) * 60; upKnown = true; continue; }
    if ((m2 = /^(\d+) min$/.exec(p))) { up += Number(m2[1]) * 60; upKnown = true; continue; }
  }
  if (upKnown) meta.uptimeSec = up;
  if (la >= 0) {
    // Locales with a decimal comma print `load average: 0,78, 0,22, 0,07`.
    const nums = rest.slice(la + 13).match(/\d+[.,]\d+/g);
    if (nums && nums.length >= 3) {
      meta.load = [Number(nums[0].replace(',', '.')), Number(nums[1].replace(',', '.')), Number(nums[2].replace(',', '.'))];
    }
  }
}

function parseTasks(unit: string, body: string, meta: Meta, ctx: ParseContext, lineIndex: number): void {
  // `Tasks:  25 total,   1 running,  22 sleeping,   0 stopped,   2 zombie` (D is inside sleeping)
  // 4.0.5+: `N total, N running, N sleep, N d-sleep, N stopped, N zombie` (sleep excludes D).
  const got: Record<string, number> = {};
  for (const part of body.split(',')) {
    const m = /^\s*(\d+)\s+([a-z-]+)/.exec(part);
    if (m) got[m[2]] = Number(m[1]);
  }
  const sleeping = got.sleeping ?? got.sleep;
  if (got.total === undefined || got.running === undefined || sleeping === undefined ||
      got.stopped === undefined || got.zombie === undefined) {
    ctx.warn(lineIndex, `top ${unit} line not read: expected "N total, N running, N sleeping, N stopped, N zombie"`);
    return;
  }
  meta.topTasks = {
    unit: unit === 'Threads' ? 'threads' : 'tasks',
    total: got.total, running: got.running, sleeping, stopped: got.stopped, zombie: got.zombie,
  };
  // Only when printed: before 4.0.5 the D tasks are hidden inside `sleeping`.
  if (got['d-sleep'] !== undefined) meta.topTasks.dsleep = got['d-sleep'];
}

/** `  0.0 us,  0.0 sy,  0.0 ni,100.0 id` or `  0.3%us,  0.2%sy` → { us: 0, sy: 0, … }. */
export function parseCpu(body: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  let any = false;
  // Split on `,` only: `ni,100.0 id` has no space after the comma.
  for (const part of body.split(',')) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*([a-z]+)\s*$/.exec(part);
    if (m) { out[m[2]] = Number(m[1]); any = true; }
  }
  return any ? out : undefined;
}

const UNIT_KIB: Record<string, number> = { KiB: 1, MiB: 1024, GiB: 1024 ** 2, TiB: 1024 ** 3, PiB: 1024 ** 4, EiB: 1024 ** 5 };

/**
 * `MiB Mem :  24152.1 total,  22826.6 free,    466.5 used,   1104.2 buff/cache`
 * `MiB Swap:      0.0 total,      0.0 free,      0.0 used.  23685.5 avail Mem`
 * old: `Mem:  8061608k total,  7905044k used,   156564k free,   331512k buffers`
 *      `Swap:  2097148k total,        0k used,  2097148k free,  5961648k cached`
 * A value too wide for its field is printed cut with `+` (`13174008+total`): it is skipped.
 */
export function parseMem(unit: string | undefined, which: 'Mem' | 'Swap', body: string, meta: Meta): void {
  const scale = unit ? UNIT_KIB[unit] ?? 1 : 1;
  const mem = meta.memKiB ?? {};
  // Pairs "number key": walk tokens; a number starts a pair, the words after it name it.
  const tokens = body.replace(/,/g, ' ').trim().split(/\s+/);
  let value: number | undefined;
  let cut = false;
  let key = '';
  const flush = () => {
    if (value !== undefined && !cut && key !== '') store(which, key.replace(/\.$/, ''), value * scale, mem);
    value = undefined; key = ''; cut = false;
  };
  for (const tok of tokens) {
    const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)(\+?)(.*)$/.exec(tok);
    if (m && (m[4] === '' || m[3] === '+')) {
      flush();
      const mult = m[2] === '' || m[2] === 'k' || m[2] === 'K' ? 1 : m[2] === 'm' || m[2] === 'M' ? 1024 : 1024 * 1024;
      value = Number(m[1]) * mult;
      cut = m[3] === '+';
      key = m[4];
    } else {
      key = key === '' ? tok : `${key} ${tok}`;
    }
  }
  flush();
  meta.memKiB = mem;
}

function store(which: 'Mem' | 'Swap', key: string, v: number, mem: NonNullable<Meta['memKiB']>): void {
  const k = key.replace(/\.$/, '');
  if (which === 'Mem') {
    if (k === 'total') mem.total = v;
    else if (k === 'free') mem.free = v;
    else if (k === 'used') mem.used = v;
    else if (k === 'buff/cache') mem.buffCache = v;
    else if (k === 'buffers') mem.buffCache = (mem.buffCache ?? 0) + v;
    else if (k === 'avail Mem' || k === 'avail') mem.avail = v;
  } else {
    if (k === 'total') mem.swapTotal = v;
    else if (k === 'free') mem.swapFree = v;
    else if (k === 'used') mem.swapUsed = v;
    else if (k === 'avail Mem') mem.avail = v;
    // 3.2 and early 3.3 print the page cache on the Swap line: `5961648k cached`, `cached Mem`.
    else if (k === 'cached' || k === 'cached Mem') mem.buffCache = (mem.buffCache ?? 0) + v;
  }
}

// ---- the table -----------------------------------------------------------------------------

interface Table { rows: Row[]; end: number; lastRow: number; argsMode: boolean; truncated: boolean }

function readTable(
  lines: readonly string[], from: number, header: string[], threads: boolean, hintArgs: boolean, ctx: ParseContext,
): Table {
  const n = lines.length;
  const ncols = header.length;
  const pidCol = header.indexOf('PID');
  const tgidCol = header.indexOf('TGID');
  let freeCol = -1;
  for (let c = 0; c < ncols; c++) if (FREE_TEXT.has(header[c])) { freeCol = c; break; }
  const cmdCol = header.indexOf('COMMAND');
  const starts: number[] = [];
  const ends: number[] = [];
  const rows: Row[] = [];
  const commands: (string | undefined)[] = [];
  let i = from;
  let lastRow = from - 1;
  let truncated = false;

  for (; i < n; i++) {
    const line = lines[i];
    const count = tokenize(line, starts, ends);
    if (count === 0 || line.startsWith('top - ') || maybeBoundary(line)) break;
    // A row has a number in the PID column (shifted right by extra words of a free-text column
    // before it); a line without one ends the table, unless it starts like a row.
    const pidTok = freeCol >= 0 && pidCol > freeCol ? pidCol + count - ncols : pidCol;
    if (pidTok >= count || !(intAt(line, starts[pidTok], ends[pidTok]) >= 0)) {
      if (!(intAt(line, starts[0], ends[0]) >= 0)) break;
    }
    if (count < ncols || (freeCol < 0 && count > ncols)) {
      ctx.warn(i, `top row not read: expected ${ncols} columns (${header.join(' ')}), found ${count}`);
      lastRow = i;
      continue;
    }
    const extraTokens = count - ncols;
    const row: Row = { line: i + 1, kind: threads ? 'thread' : 'process', pid: 0 };
    let pid = -1;
    let tgid = -1;
    let command: string | undefined;
    let t = 0;
    for (let c = 0; c < ncols; c++) {
      const s = starts[t];
      let e: number;
      if (c === freeCol) {
        // A free-text value as printed, inner spacing kept: `a) (b c) R 1 2`.
        t += extraTokens;
        e = ends[t];
      } else {
        e = ends[t];
      }
      t++;
      if (c === pidCol) { pid = intAt(line, s, e); continue; }
      if (c === tgidCol) { tgid = intAt(line, s, e); continue; }
      if (c === cmdCol) {
        command = line.slice(s, e);
        // A cut value ends in `+`. COMMAND as last column is cut at the screen width (80 columns
        // in batch mode without -w: `perl -e+`); elsewhere it has a fixed width.
        if (command.endsWith('+') && (c !== ncols - 1 || line.trimEnd().length >= 79)) {
          row.truncated = true;
          truncated = true;
          command = command.slice(0, -1);
        }
        continue;
      }
      setField(row, header[c], line, s, e);
    }
    if (pid < 0) {
      ctx.warn(i, `top row not read: PID "${line.slice(starts[pidTok] ?? 0, ends[pidTok] ?? 0)}" is not a number`);
      lastRow = i;
      continue;
    }
    if (threads) {
      // top -H prints one row per thread, keyed by TID in the PID column. Without a TGID column
      // the owning process is unknown here: the row stays keyed by its TID (pid = tid) and the
      // snapshot folds it into the process that lists that TID, if another input shows one.
      row.tid = pid;
      row.pid = tgid >= 0 ? tgid : pid;
      if (tgid >= 0) row.tgid = tgid;
    } else {
      row.pid = pid;
      if (tgid >= 0) row.tgid = tgid;
    }
    rows.push(row);
    commands.push(command);
    lastRow = i;
  }

  // COMMAND is comm unless `-c` (or `c` toggled): then it is the command line, where kernel
  // threads and zombies are bracketed (`[fix] <defunct>`) and paths appear (`/bin/bash …`).
  let argsMode = hintArgs;
  if (!argsMode) {
    for (const cmd of commands) {
      if (cmd !== undefined && (cmd.startsWith('/') || cmd.startsWith('./') || (cmd.startsWith('[') && cmd.includes(']')))) {
        argsMode = true;
        break;
      }
    }
  }
  for (let r = 0; r < rows.length; r++) {
    const cmd = commands[r];
    if (cmd === undefined) continue;
    if (!argsMode) { rows[r].comm = cmd; continue; }
    rows[r].args = cmd;
    const k = /^\[([^\]]+)\](?: <defunct>)?$/.exec(cmd);
    if (k) rows[r].comm = k[1];
  }
  return { rows, end: i, lastRow, argsMode, truncated };
}


function setField(row: Row, h: string, line: string, s: number, e: number): void {
  let x: number;
  switch (h) {
    case 'PPID': if ((x = intAt(line, s, e)) >= 0) row.ppid = x; return;
    case 'UID': if ((x = intAt(line, s, e)) >= 0) row.uid = x; return;
    case 'USER': {
      // `averyve+`: top cuts at 8 with `+`, kept as printed; a user without a passwd entry prints
      // as its uid (`12345`).
      row.user = line.slice(s, e);
      if ((x = intAt(line, s, e)) >= 0) row.uid = x;
      return;
    }
    case 'GROUP': row.group = line.slice(s, e); return;
    case 'TTY': row.tty = line.slice(s, e); return;
    case 'PGRP': if ((x = intAt(line, s, e)) >= 0) row.pgid = x; return;
    case 'SID': if ((x = intAt(line, s, e)) >= 0) row.sid = x; return;
    case 'TPGID': { const v = signedAt(line, s, e); if (v !== undefined) row.tpgid = v; return; }
    case 'PR': row.pri = line.slice(s, e); return; // `20`, `-11` (SCHED_FIFO 10), `rt` (FIFO 99)
    case 'NI': { const v = signedAt(line, s, e); if (v !== undefined) row.nice = v; return; }
    case 'nTH': if ((x = intAt(line, s, e)) >= 0) row.nlwp = x; return;
    case 'P': if ((x = intAt(line, s, e)) >= 0) row.psr = x; return;
    case '%CPU': if ((x = decAt(line, s, e)) >= 0) row.pcpu = x; return;
    case '%MEM': if ((x = decAt(line, s, e)) >= 0) row.pmem = x; return;
    case 'TIME': case 'TIME+': {
      const v = timeAt(line, s, e);
      if (v !== undefined) row.cpuTimeSec = v;
      return;
    }
    case 'VIRT': { const v = kibAt(line, s, e); if (v !== undefined) row.vszKiB = v; return; }
    case 'RES': { const v = kibAt(line, s, e); if (v !== undefined) row.rssKiB = v; return; }
    case 'SHR': { const v = kibAt(line, s, e); if (v !== undefined) row.shrKiB = v; return; }
    case 'S': {
      const v = line.slice(s, e);
      row.stat = v;
      const c = v.charAt(0);
      row.state = LETTERS.has(c) ? (c as StateLetter) : null;
      return;
    }
    case 'WCHAN': {
      const v = line.slice(s, e);
      row.wchan = v === '-' || v === '0' ? null : v; // `do_sys_pa+` kept cut
      return;
    }
    default:
      (row.extra ??= {})[h] = line.slice(s, e);
  }
}

/** Unsigned integer in line[s, e), or -1. */
function intAt(line: string, s: number, e: number): number {
  if (s === undefined || e <= s || e - s > 15) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = line.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function signedAt(line: string, s: number, e: number): number | undefined {
  if (line.charCodeAt(s) === 45 /* - */) { const v = intAt(line, s + 1, e); return v >= 0 ? -v : undefined; }
  const v = intAt(line, s, e);
  return v >= 0 ? v : undefined;
}

/** Unsigned decimal (`93.3`, `100.0`) in line[s, e), or -1. */
function decAt(line: string, s: number, e: number): number {
  const dot = line.indexOf('.', s);
  if (dot < 0 || dot >= e) return intAt(line, s, e);
  if (e - dot - 1 > 16) return -1;
  const a = intAt(line, s, dot);
  const b = intAt(line, dot + 1, e);
  if (a < 0 || b < 0) return -1;
  return a + b / POW10[e - dot - 1];
}

const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/** TIME+ with a fast path for the common `m:ss.hh`. */
function timeAt(line: string, s: number, e: number): number | undefined {
  const colon = line.indexOf(':', s);
  if (colon > s && colon < e && e - colon === 6 && line.charCodeAt(colon + 3) === 46 /* . */) {
    const m = intAt(line, s, colon);
    const sec = intAt(line, colon + 1, colon + 3);
    const hh = intAt(line, colon + 4, e);
    if (m >= 0 && sec >= 0 && hh >= 0) return m * 60 + sec + hh / 100;
  }
  return topTimeSec(line.slice(s, e));
}

function kibAt(line: string, s: number, e: number): number | undefined {
  const v = intAt(line, s, e);
  return v >= 0 ? v : scaledKiB(line.slice(s, e));
}

/**
 * isBoundary (a prompt or a bundle marker) only for lines that can be one: table rows rarely
 * hold a prompt character, and the prompt pattern is the costly part on a million rows.
 */
function maybeBoundary(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c !== 61 && c !== 112 && line.indexOf('#') < 0 && line.indexOf('$') < 0 && line.indexOf('%') < 0 &&
      line.indexOf('>') < 0 && line.indexOf('\u276f') < 0 && line.indexOf('\u00bb') < 0) return false;
  return isBoundary(line);
}

const SCALE: Record<string, number> = { k: 1, m: 1024, g: 1024 ** 2, t: 1024 ** 3, p: 1024 ** 4, e: 1024 ** 5 };

/**
 * top memory columns: plain KiB (`18868`), or scaled to fit the column: `20.0g`, `12m`, `2.5t`
 * (and `4.3m` under `-e m`). Upper-case suffixes come from builds with CASEUP_SUFIX.
 */
export function scaledKiB(v: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kmgtpeKMGTPE]?)$/.exec(v);
  if (!m) return undefined;
  const mult = m[2] === '' ? 1 : SCALE[m[2].toLowerCase()];
  const x = Number(m[1]) * mult;
  // `0.0g` under `-e g` is "under 0.05 GiB", not zero; a plain `0` (zombie) is a real zero.
  if (x === 0 && m[2] !== '') return undefined;
  return Math.round(x);
}

/**
 * top TIME+ / TIME (scale_tics): `0:00.00` (m:ss.hh), `1234:56` (m:ss), `12,34` (h,mm),
 * `0d+0h`, `3d`, `0w+0d`, `5w`, and older `5h`. Minutes are unbounded in m:ss forms.
 */
export function topTimeSec(v: string): number | undefined {
  let m = /^(\d+):(\d{2})(?:\.(\d{2}))?$/.exec(v);
  if (m) return Number(m[1]) * 60 + Number(m[2]) + (m[3] ? Number(m[3]) / 100 : 0);
  if ((m = /^(\d+),(\d{2})$/.exec(v))) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  if ((m = /^(\d+)([hdwHDW])(?:\+(\d+)([hdHD])?)?$/.exec(v))) {
    const unit = UNIT_SEC[m[2].toLowerCase()];
    let s = Number(m[1]) * unit;
    if (m[3] !== undefined) {
      // `0d+0h`, `0w+0d`; SCALE_POSTFX builds print the second unit bare (`3d+4`).
      const second = m[4] ? UNIT_SEC[m[4].toLowerCase()] : unit === 86400 ? 3600 : 86400;
      s += Number(m[3]) * second;
    }
    return s;
  }
  return undefined;
}

const UNIT_SEC: Record<string, number> = { h: 3600, d: 86400, w: 604800 };
