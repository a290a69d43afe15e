// /proc/PID/status (proc_pid_status(5)): `Key:\tvalue` lines, one file or many.
// Shapes read (formats.md §3):
//   a single file                         Name:	sleep / State:	S (sleeping) / ...
//   head -n 40 /proc/[0-9]*/status        ==> /proc/1/status <==  + the file, blank line between
//   grep -E 'State|PPid' /proc/*/status   /proc/1/status:State:	S (sleeping)
//   for p in /proc/[0-9]*; do echo "== $p"; cat $p/status; done
//   cat /proc/1/status /proc/2/status     no separator at all: each file starts again at `Name:`
//   sos trees                             ==> proc/1/status <==, proc/1/status:Name:	systemd
//   task files                            ==> /proc/5/task/7/status <==  → a thread row of PID 5
import { STATE_LETTERS, type Row, type StateLetter } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, Hint, ParseContext, ParseResult } from '../types.ts';
import {
  errorLineFile, headerPath, hintNames, isDenied, isSelfLine, isForeignHeadHeader, isVanished, pidFromHint, splitPrefixed,
  SELF_PID, type ProcPath,
} from './proc-path.ts';

const LETTERS = new Set<string>(STATE_LETTERS);
// `Key:\tvalue`; pastes may turn the tab into spaces, and `Groups:` may be empty.
const KEY_VALUE = /^([A-Za-z][\w]*):(?:[\t ]+(.*)|)$/;
// Keys that open or identify a status file, for sniffing.
const CORE_KEYS = /^(?:Name|Umask|State|Tgid|Ngid|Pid|PPid|TracerPid|Uid|Gid|NSpid|Threads|VmRSS|voluntary_ctxt_switches):/;

interface Block {
  line: number;
  path?: ProcPath;
  row: Partial<Row>;
  seen: Set<string>;
}

export const procStatus: FormatParser = {
  format: 'proc-status',

  sniff(lines, start, hint) {
    const line = lines[start];
    if (hint.bundleSection === 'status') return 1;
    if (errorLineFile(line) === 'status') return 0.8;
    if (line.startsWith('==> ')) {
      const p = headerPath(line);
      return p?.file === 'status' ? 0.95 : 0;
    }
    if (line.includes('proc/')) {
      if (splitPrefixed(line, 'status')) return 0.95;
      const h = headerPath(line);
      if (h && h.file === undefined && CORE_KEYS.test(lines[start + 1] ?? '')) return 0.85;
      return 0;
    }
    if (!CORE_KEYS.test(line)) return 0;
    if (hintNames(hint, 'status')) return 0.9;
    // A file's first keys: `Name:` then `Umask:`/`State:` within a few lines.
    let keys = 0;
    for (let i = start; i < Math.min(lines.length, start + 8); i++) {
      if (CORE_KEYS.test(lines[i])) keys++;
    }
    if (keys >= 3 && /^(?:Name|State|Umask|Pid|Tgid):/.test(line)) return 0.9;
    // `grep State /proc/5/status` without -H prints just `State:	D (disk sleep)`.
    if (/^State:\s+[A-Za-z] \(/.test(line)) return 0.6;
    return 0;
  },

  parse(lines, start, ctx) {
    return parseStatus(lines, start, ctx);
  },
};

function parseStatus(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const rows: Row[] = [];
  const fields = new Set<string>();
  let cur: Block | undefined;
  let variant = 'single';
  let i = start;
  let lastUsed = start;

  const flush = () => {
    if (cur) {
      const row = finishBlock(cur, ctx.hint, ctx);
      if (row) {
        rows.push(row);
        for (const k of Object.keys(row)) if (k !== 'line' && k !== 'kind') fields.add(k);
      }
    }
    cur = undefined;
  };
  const open = (lineIndex: number, path?: ProcPath) => {
    flush();
    cur = { line: lineIndex + 1, path, row: {}, seen: new Set() };
  };

  for (; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') continue;
    if (isVanished(line)) { lastUsed = i; continue; }
    if (isSelfLine(line, 'status')) { lastUsed = i; continue; }
    if (isDenied(line)) { ctx.warn(i, 'not readable (permission denied): this PID is missing from the dump'); lastUsed = i; continue; }

    if (line.startsWith('==> ')) {
      if (isForeignHeadHeader(line, 'status')) break;
      variant = 'bulk';
      open(i, headerPath(line));
      lastUsed = i;
      continue;
    }
    const pre = splitPrefixed(line, 'status');
    if (pre) {
      variant = 'grep';
      if (!cur || !samePath(cur.path, pre.path)) open(i, pre.path);
      applyLine(cur!, pre.rest, i, ctx);
      lastUsed = i;
      continue;
    }
    const kv = KEY_VALUE.exec(line);
    if (kv) {
      // `cat a b` runs files together: a second `Name:` starts the next file.
      if (!cur || (kv[1] === 'Name' && cur.seen.has('Name'))) open(i);
      applyKey(cur!, kv[1], kv[2] ?? '', i, ctx);
      lastUsed = i;
      continue;
    }
    const h = headerPath(line);
    if (h) {
      // An `echo "== $p"` separator belongs to us only if status lines follow it.
      const next = nextNonBlank(lines, i + 1);
      if (next === undefined || !KEY_VALUE.test(lines[next])) break;
      variant = 'bulk';
      open(i, h);
      lastUsed = i;
      continue;
    }
    break;
  }
  flush();
  if (variant === 'single' && rows.length > 1) variant = 'concatenated';
  if (rows.some((r) => r.kind === 'thread') && variant !== 'single') variant += '-tasks';
  return {
    captures: [{ format: 'proc-status', variant, firstLine: start + 1, lastLine: lastUsed + 1, fields: [...fields], rows }],
    end: lastUsed + 1,
  };
}

function nextNonBlank(lines: readonly string[], from: number): number | undefined {
  for (let j = from; j < Math.min(lines.length, from + 3); j++) if (lines[j].trim() !== '') return j;
  return undefined;
}

function samePath(a: ProcPath | undefined, b: ProcPath): boolean {
  return a !== undefined && a.pid === b.pid && a.tid === b.tid;
}

function applyLine(b: Block, text: string, i: number, ctx: ParseContext): void {
  const kv = KEY_VALUE.exec(text);
  if (kv) applyKey(b, kv[1], kv[2] ?? '', i, ctx);
  else ctx.warn(i, 'not a `Key:\tvalue` status line');
}

const int = (s: string): number | undefined => {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && /^-?\d+$/.test(s) ? n : undefined;
};

function applyKey(b: Block, key: string, value: string, i: number, ctx: ParseContext): void {
  const v = value.trim();
  const r = b.row;
  b.seen.add(key);
  switch (key) {
    case 'Name':
      r.comm = unescapeName(value.replace(/\s+$/, ''));
      break;
    case 'State': {
      // `State:	D (disk sleep)`; old kernels print the same. Unknown letters keep the raw text.
      const letter = v.charAt(0);
      if (LETTERS.has(letter)) r.state = letter as StateLetter;
      else if (letter) { r.state = null; r.stat = letter; ctx.warn(i, `unknown state letter "${letter}"`); }
      break;
    }
    case 'Tgid': r.tgid = int(v); break;
    case 'Pid': r.tid = int(v); break; // kept as the thread id; finishBlock decides the row's pid
    case 'PPid': r.ppid = int(v); break;
    case 'TracerPid': r.tracerPid = int(v); break;
    case 'Uid': r.uid = int(v.split(/\s+/)[0]); break;
    case 'Threads': r.nlwp = int(v); break;
    case 'NSpid': {
      // `NSpid:	7487	116`: as seen from the reader's namespace outward-in, outermost first.
      const ids = v.split(/\s+/).map((s) => int(s)).filter((n): n is number => n !== undefined);
      if (ids.length > 0) r.nspid = ids;
      break;
    }
    case 'Kthread': r.kthread = v === '1'; break;
    case 'VmRSS': r.rssKiB = kib(v); break;
    case 'VmSize': r.vszKiB = kib(v); break;
    case 'voluntary_ctxt_switches': r.ctxtVoluntary = int(v); break;
    case 'nonvoluntary_ctxt_switches': r.ctxtNonvoluntary = int(v); break;
    default: break;
  }
}

/** `VmRSS:	    1152 kB` → 1152. */
function kib(v: string): number | undefined {
  const m = /^(\d+)\s*kB$/i.exec(v);
  return m ? Number(m[1]) : undefined;
}

/** The kernel escapes `\` and newline in Name (proc_task_name → string_escape_str "\n\\"). */
export function unescapeName(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function finishBlock(b: Block, hint: Hint, ctx: ParseContext): Row | undefined {
  if (b.path?.pid === SELF_PID) return undefined; // the grep/head itself
  const r = b.row;
  const threadId = r.tid; // the `Pid:` line
  const path = b.path ?? pidFromHint(hint, 'status');
  let kind: Row['kind'] = 'process';
  let pid: number | undefined;
  let tid: number | undefined;
  if (path?.tid !== undefined) {
    kind = 'thread'; pid = path.pid; tid = path.tid;
  } else if (r.tgid !== undefined && threadId !== undefined && r.tgid !== threadId) {
    // A task's own status read without its path: `Pid` is the thread, `Tgid` its process.
    kind = 'thread'; pid = r.tgid; tid = threadId;
  } else {
    pid = r.tgid ?? threadId ?? path?.pid;
  }
  if (pid === undefined || pid < 0) {
    ctx.warn(b.line - 1, 'status lines without a PID (no Pid:/Tgid: line, no /proc/PID path, no file name): not kept');
    return undefined;
  }
  const row: Row = { line: b.line, kind, pid };
  if (tid !== undefined) row.tid = tid;
  for (const [k, v] of Object.entries(r) as [keyof Row, unknown][]) {
    if (k === 'tid' || v === undefined) continue;
    (row as Record<string, unknown>)[k] = v;
  }
  return row;
}
