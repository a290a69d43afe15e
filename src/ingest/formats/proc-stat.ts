// /proc/PID/stat (proc_pid_stat(5)): one line per task, `pid (comm) state ppid pgrp ...`.
// Shapes read: a single file, `cat /proc/[0-9]*/stat`, `grep -H . /proc/*/stat`
// (`/proc/1/stat:1 (sleep) S 0 1 1 ...`), `==> /proc/1/stat <==` blocks, and task files
// (`/proc/5/task/7/stat`, or `cat /proc/5/task/*/stat` named by the echoed command).
//
// comm is NOT escaped here and may contain spaces, `)` and even a newline:
//   `4 (a) (b c) R 1 2) S 1 0 0 0 -1 ...`  → comm `a) (b c) R 1 2`, state S
// so comm ends at the LAST `)` of the record (as psutil does: rfind(b')')), and a record whose
// tail does not parse is joined with the next line.
import { STATE_LETTERS, type Row, type StateLetter } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';
import {
  errorLineFile, headerPath, isDenied, isSelfLine, isForeignHeadHeader, isVanished, pidFromHint, splitPrefixed, SELF_PID, type ProcPath,
} from './proc-path.ts';

const LETTERS = new Set<string>(STATE_LETTERS);
// USER_HZ is 100 on every mainstream architecture (x86, arm, arm64, ppc, s390; CONFIG_HZ does not
// change what /proc reports), and the dump does not say otherwise: ticks / 100 = seconds.
const USER_HZ = 100;
// rss (field 24) is in pages; 4 KiB pages on x86 and most arm64 kernels. A 16/64 KiB arm64 or
// ppc64 kernel would be off by 4–16×; the dump carries no page size, so this is an assumption.
const PAGE_KIB = 4;
// `1 (sleep) S 0 1 1 0 -1 ...`: starts with the PID and ` (`, no leading space.
const HEAD = /^(\d+) \(/;
const TAIL_OK = /^ [A-Za-z] -?\d+ -?\d+ -?\d+/;
/** comm is at most 64 bytes (kernel threads); a record spans at most this many lines. */
const MAX_JOIN = 3;

export const procStat: FormatParser = {
  format: 'proc-stat',

  sniff(lines, start, hint) {
    if (hint.bundleSection === 'procstat') return 1;
    const line = lines[start];
    if (errorLineFile(line) === 'stat') return 0.8;
    if (line.startsWith('==> ')) return headerPath(line)?.file === 'stat' ? 0.95 : 0;
    const pre = line.includes('proc/') ? splitPrefixed(line, 'stat') : undefined;
    const text = pre ? pre.rest : line;
    if (!HEAD.test(text)) return 0;
    const rec = joinRecord(lines, start, text, !!pre);
    return rec ? 0.95 : 0;
  },

  parse(lines, start, ctx) {
    return parseStat(lines, start, ctx);
  },
};

interface Record_ { text: string; lines: number }

/** The record starting at lines[i] (text = its content without a path prefix), or undefined. */
function joinRecord(lines: readonly string[], i: number, text: string, prefixed: boolean): Record_ | undefined {
  let t = text;
  for (let n = 1; n <= MAX_JOIN; n++) {
    const close = t.lastIndexOf(')');
    if (close > 0 && TAIL_OK.test(t.slice(close + 1))) return { text: t, lines: n };
    const next = lines[i + n];
    if (next === undefined || (!prefixed && HEAD.test(next) && t.includes(')'))) return undefined;
    // A continuation of a prefixed record is prefixed again by grep (`/proc/4/stat:c) R ...`).
    const cont = prefixed ? splitPrefixed(next, 'stat')?.rest : next;
    if (cont === undefined) return undefined;
    t += '\n' + cont;
  }
  return undefined;
}

function parseStat(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const rows: Row[] = [];
  let path: ProcPath | undefined; // from a `==>` header, for the next record only
  let variant = 'single';
  let last = start;
  const fromHint = pidFromHint(ctx.hint, 'stat');
  // `cat /proc/5/task/*/stat`: every record is a thread of PID 5.
  const taskOf = ctx.hint.command && /\/proc\/(\d+)\/task\/(?:\*|\[)/.exec(ctx.hint.command);

  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') { i++; continue; }
    if (isVanished(line)) { last = i; i++; continue; }
    if (isSelfLine(line, 'stat')) { last = i; i++; continue; }
    if (isDenied(line)) { ctx.warn(i, 'not readable (permission denied)'); last = i; i++; continue; }
    if (line.startsWith('==> ')) {
      if (isForeignHeadHeader(line, 'stat')) break;
      path = headerPath(line);
      variant = 'bulk';
      last = i; i++;
      continue;
    }
    const pre = line.includes('proc/') ? splitPrefixed(line, 'stat') : undefined;
    const text = pre ? pre.rest : line;
    if (!HEAD.test(text)) {
      const h = headerPath(line);
      if (h && i + 1 < lines.length && HEAD.test(lines[i + 1])) { path = h; variant = 'bulk'; last = i; i++; continue; }
      break;
    }
    const rec = joinRecord(lines, i, text, !!pre);
    if (!rec) {
      ctx.warn(i, 'a /proc/PID/stat line whose fields after `(comm)` do not parse (truncated?)');
      last = i; i++;
      continue;
    }
    if (pre) variant = 'grep';
    const where = pre?.path ?? path ?? (rows.length === 0 && i === start ? fromHint : undefined);
    const row = where?.pid === SELF_PID ? undefined : statRow(rec.text, i, where, ctx);
    if (row) {
      if (!where && taskOf) { row.kind = 'thread'; row.tid = row.pid; row.pid = Number(taskOf[1]); }
      rows.push(row);
    }
    path = undefined;
    last = i + rec.lines - 1;
    i += rec.lines;
  }
  if (variant === 'single' && rows.length > 1) variant = 'cat';
  if (rows.some((r) => r.kind === 'thread')) variant += '-tasks';
  return {
    captures: [{
      format: 'proc-stat', variant, firstLine: start + 1, lastLine: last + 1, rows,
      fields: ['pid', 'comm', 'state', 'stat', 'ppid', 'pgid', 'sid', 'tty', 'tpgid', 'cpuTimeSec', 'pri', 'nice', 'nlwp', 'startTicks', 'vszKiB', 'rssKiB', 'psr'],
    }],
    end: last + 1,
  };
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) && s !== '' ? n : undefined;
};

/** One record → a row. Exported for the tests of the comm rule. */
export function statRow(text: string, lineIndex: number, where: ProcPath | undefined, ctx: ParseContext): Row | undefined {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  const id = Number(text.slice(0, open));
  const comm = text.slice(open + 2, close);
  // The kernel separates fields by exactly one space; a paste may have padded the end.
  const tail = text.slice(close + 2);
  const f = (tail.includes('  ') || tail.includes('\t') ? tail.trim().split(/\s+/) : tail.split(' ', 37));
  // f[0] is field 3 (state); field N is f[N - 3].
  if (f.length < 20) ctx.warn(lineIndex, `/proc/PID/stat line has only ${f.length + 2} fields (truncated?): kept what is there`);
  const row: Row = { line: lineIndex + 1, kind: 'process', pid: id, comm };
  if (where?.tid !== undefined) { row.kind = 'thread'; row.pid = where.pid; row.tid = where.tid; }
  else if (where && where.pid !== id) {
    ctx.warn(lineIndex, `the file is named for PID ${where.pid} but its line is PID ${id}; kept ${id}`);
  }
  const letter = f[0];
  row.stat = letter;
  // `I` idle, `P` parked, and the historical `x K W`: unknown letters keep their raw stat.
  row.state = LETTERS.has(letter) ? (letter as StateLetter) : null;
  // Only fields the line holds are set (a truncated line leaves the rest unknown).
  let n: number | undefined;
  if ((n = num(f[1])) !== undefined && n >= 0) row.ppid = n;
  if ((n = num(f[2])) !== undefined) row.pgid = n;
  if ((n = num(f[3])) !== undefined) row.sid = n;
  if ((n = num(f[4])) !== undefined) row.tty = ttyName(n);
  if ((n = num(f[5])) !== undefined) row.tpgid = n;
  const utime = num(f[11]);
  const stime = num(f[12]);
  if (utime !== undefined && stime !== undefined) row.cpuTimeSec = (utime + stime) / USER_HZ;
  // priority (18) and nice (19) are signed: `-11` for SCHED_FIFO 10, `-5` for nice -5.
  if (f[15] !== undefined) row.pri = f[15];
  if ((n = num(f[16])) !== undefined) row.nice = n;
  if ((n = num(f[17])) !== undefined) row.nlwp = n;
  if ((n = num(f[19])) !== undefined) row.startTicks = n;
  if ((n = num(f[20])) !== undefined) row.vszKiB = Math.round(n / 1024);
  if ((n = num(f[21])) !== undefined) row.rssKiB = n * PAGE_KIB;
  if ((n = num(f[36])) !== undefined) row.psr = n;
  return row;
}

/**
 * tty_nr (field 7) → the name ps prints: 0 → `?`, major 136–143 → `pts/N`, major 4 → `ttyN`
 * (minor < 64) or `ttySN`; anything else `major,minor` like busybox.
 */
export function ttyName(dev: number): string {
  if (dev === 0) return '?';
  const major = (dev >> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  return `${major},${minor}`;
}
