// procps-ng `ps` tables: aux/auxww/-aux, -ef, -el, -eLf/-eLF/-elfL, axj, alx, -e, forest
// (axf, auxf, -ef --forest), -ejH/-eH, `m` thread rows, -L/-T rows and `-o` with any
// specifier list. Reference: reference/formats.md §0, §1, §5, §6.
//
// One pass over the rows; the header is analysed once (ps-columns.ts), each row is split by
// token order (ps-row.ts) and its cells read without regexes (ps-values.ts).
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { CaptureDraft, FormatParser, Hint, ParseContext, ParseResult } from '../types.ts';
import {
  type Column, HEADER_OF_COMMAND, type PsCommand, STANDARD, columnsOf, headerTokens, isKnownHeader, readPsCommand,
} from './ps-columns.ts';
import { decideText, fieldsOf, flagCutCommands, isBlank, variantOf } from './ps-describe.ts';
import { type Layout, makeLayout, pidInPlace, readRow } from './ps-row.ts';

// stderr that ps prints around its table: `Signal 11 (SEGV) caught by ps (4.0.2).`,
// `ps:src/ps/display.c:71: please report this bug`, `your 131072x1 screen size is bogus.`
const PS_STDERR = /^\s*(?:ps:|Signal \d+ \(|error:|warning:|your \d+x\d+ screen size)/;
const CRASH = /caught by ps|please report this bug|Segmentation fault/;

/**
 * Confidence that a procps ps table starts at lines[start]: its header (PID and other ps
 * headers), or — after an echoed `ps aux | grep x` — a first row of that standard format.
 */
export function looksLikePsTable(lines: readonly string[], start: number, hint: Hint): number {
  const line = lines[start];
  if (line === undefined || line.length > 4000) return 0;
  const names = line.includes('PID') ? headerTokens(line).map((t) => t.name) : [];
  if (!names.includes('PID')) return headerlessScore(line, start, hint);
  let known = 0;
  for (const n of names) if (isKnownHeader(n)) known++;
  if (known < 2 || (names.length - known) * 3 > names.length) return 0;
  // procps top: `    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND`
  if (names.includes('TIME+') || (names.includes('PR') && (names.includes('VIRT') || names.includes('RES')))) return 0;
  // busybox pads PID on the left (`PID   USER     COMMAND`); procps right-aligns it
  // (`    PID TTY`). busybox top prints %VSZ; non-desktop busybox `  PID USER       VSZ STAT COMMAND`.
  if (/^PID {3}\S/.test(line) || names.includes('%VSZ') || /^\s*PID USER {7}VSZ STAT COMMAND\s*$/.test(line)) return 0.3;
  const cmd = readPsCommand(hint.command);
  if (cmd) return 0.9;
  return known >= 3 ? 0.8 : 0.6;
}

const headerlessLayouts = new Map<string, Layout>();

/**
 * Rows right after an echoed standard ps command, with no header: `[root@node-1 ~]# ps aux | grep
 * fsck` (grep ate the header), or a paste of just the interesting rows.
 */
function headerlessScore(line: string, start: number, hint: Hint): number {
  const cmd = readPsCommand(hint.command);
  if (!cmd?.standard || cmd.specs) return 0;
  const L = headerlessLayout(cmd);
  return L && readRow(line, start, L) ? 0.7 : 0;
}

function headerlessLayout(cmd: PsCommand): Layout | undefined {
  if (!cmd.standard) return undefined;
  let L = headerlessLayouts.get(cmd.standard);
  if (!L) {
    const cols = columnsOf(HEADER_OF_COMMAND[cmd.standard]);
    for (const c of cols) if (c.field === 'text') c.text = STANDARD[HEADER_OF_COMMAND[cmd.standard]]?.comm ? 'comm' : 'args';
    L = makeLayout(cols, 0);
    headerlessLayouts.set(cmd.standard, L);
  }
  return L;
}

export function parsePsTable(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const cmd = readPsCommand(ctx.hint.command);
  const hasHeader = lines[start].includes('PID') && headerTokens(lines[start]).some((t) => t.name === 'PID');
  let cols: Column[];
  let firstRow: number;
  if (hasHeader) {
    cols = columnsOf(lines[start]);
    firstRow = start + 1;
  } else {
    const L0 = cmd && headerlessLayout(cmd);
    if (!cmd?.standard || !L0) {
      ctx.warn(start, 'expected a ps header line (PID and other ps column names)');
      return { captures: [], end: start + 1 };
    }
    cols = L0.cols.map((c) => ({ ...c }));
    firstRow = start;
  }
  const signature = cols.map((c) => c.name).join(' ');
  const standard = STANDARD[signature];
  const L = makeLayout(cols, hasHeader ? headerShiftOf(lines, start, cols) : 0);
  decideText(L, lines, firstRow, cmd, standard);

  const rows: Row[] = [];
  const lengths: number[] = [];
  let last = start; // last consumed line index
  let lastProc: Row | undefined;
  let threadsSinceProc = 0;
  let mMode = false;
  let repeatedPid = false;
  let art = false;
  let oddIndent = 0;
  let evenIndent = 0;
  let maxLen = 0;
  let lastPhysLen = 0;
  let lastTail = '';
  let lastOpensBracket = false;
  const hasTid = cols.some((c) => c.field === 'tid');
  const lastTextCol = L.textIsLast && cols[cols.length - 1].field === 'text' ? cols[cols.length - 1] : undefined;

  const accept = (row: Row, i: number, len: number): void => {
    if (L.pidDash) {
      // `ps auxm` / `ps -m`: a thread row (PID `-`) follows its process row.
      if (!lastProc) { ctx.warn(i, 'ps thread row (PID "-") before any process row: its process is unknown'); last = i; return; }
      row.pid = lastProc.pid;
      row.kind = 'thread';
      // /proc/PID/task lists the thread-group leader first, so the first thread row is the main thread.
      if (!hasTid && threadsSinceProc === 0) row.tid = lastProc.pid;
      threadsSinceProc++;
      mMode = true;
    } else {
      const prev = rows.length > 0 ? rows[rows.length - 1] : undefined;
      if (prev && prev.pid === row.pid && row.tid !== undefined && prev.tid !== row.tid) repeatedPid = true;
      lastProc = row;
      threadsSinceProc = 0;
    }
    if (L.art) art = true;
    else if (L.indent > 0) {
      if (L.indent % 2 === 0) { evenIndent++; row.depth = L.indent / 2; } else oddIndent++;
    }
    rows.push(row);
    lengths.push(len);
    last = i;
  };

  let i = firstRow;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      // Blank lines inside a paste are skipped when a row follows; otherwise the table ended.
      let j = i + 1;
      while (j < lines.length && isBlank(lines[j])) j++;
      if (j >= lines.length || isBoundary(lines[j]) || !readRow(lines[j], j, L)) break;
      i = j;
      continue;
    }
    // A line that reads as a row is not a prompt (its PID column holds a number), so the prompt
    // check runs only on the others.
    const row = readRow(line, i, L);
    if (!row && isBoundary(line)) break;
    if (row) {
      accept(row, i, line.length);
      if (line.length > maxLen) maxLen = line.length;
      lastPhysLen = line.length;
      lastTail = trailingSpace(line);
      lastOpensBracket = row.args?.charCodeAt(0) === 91;
      i++;
      continue;
    }
    if (L.short && L.pidOk && i + 1 < lines.length && !isBlank(lines[i + 1]) && !isBoundary(lines[i + 1])) {
      // A row split in two by a narrow paste: the second half cannot be read as a row on its own.
      const next = lines[i + 1];
      if (!readRow(next, i + 1, L) && !L.pidOk) {
        const joined = readRow(line + next, i, L);
        if (joined) {
          accept(joined, i + 1, line.length + next.length);
          lastPhysLen = next.length;
          lastTail = trailingSpace(next);
          lastOpensBracket = joined.args?.charCodeAt(0) === 91;
          i += 2;
          continue;
        }
      }
      readRow(line, i, L); // restore this line's diagnosis
    }
    // Not a row. It may be the rest of the previous row's command, wrapped by a narrow paste:
    // the row above filled the paste width, and this line has no PID where the PID column is
    // (`1 2 100006` under `root  10 … ./a) (b c) R ` reads USER 1, PID 2 by token order).
    if (lastTextCol && rows.length > 0 && last === i - 1 && lastPhysLen === maxLen && maxLen >= 60
      && line.length <= maxLen && !(L.pidOk && pidInPlace(L, hasHeader)) && isContinuation(lines, i, L, maxLen)) {
      // Hard wrapping keeps every character, so the text goes on with the whitespace the row's
      // own line ended with (trimmed when it was read) and then this line.
      // Only this line is looked at, so a command wrapped over thousands of lines stays linear.
      const prev = rows[rows.length - 1];
      const field = lastTextCol.text === 'comm' ? 'comm' : 'args';
      const own = line.trimEnd();
      if (own === '') lastTail += line;
      else {
        prev[field] = `${prev[field] ?? ''}${lastTail}${own}`;
        lastTail = line.slice(own.length);
        if (field === 'args') {
          if (lastOpensBracket && own.charCodeAt(own.length - 1) === 93 /* ] */) prev.kthread = true;
          else if (prev.kthread) delete prev.kthread;
        }
      }
      lengths[rows.length - 1] += line.length;
      lastPhysLen = line.length;
      last = i;
      i++;
      continue;
    }
    if (L.pidOk && L.valid * 2 >= L.checked) {
      // Row-shaped but unreadable: say so and keep going.
      const crashed = CRASH.test(line) || (L.short && (i + 1 >= lines.length || isBlank(lines[i + 1]) || PS_STDERR.test(lines[i + 1])));
      ctx.warn(i, `ps row not read: ${L.error}${crashed ? '; ps stopped while printing it (procps 4.0.2 segfaults on -m with wchan)' : ''}`);
      last = i;
      i++;
      continue;
    }
    break;
  }

  // `-L`/`-T` listings repeat the PID with one row per thread (LWP/SPID/TID).
  if (hasTid && !mMode && (cmd?.threads || ctx.hint.bundleSection === 'threads' || repeatedPid)) for (const r of rows) if (r.tid !== undefined) r.kind = 'thread';
  const hIndent = !art && evenIndent > 0 && (oddIndent === 0 || cmd?.forest === true);
  if (art || hIndent) {
    for (const r of rows) if (r.depth === undefined) r.depth = 0;
  } else if (evenIndent > 0) {
    // Odd indents: the paste's spacing is off, not a -H tree.
    for (const r of rows) r.depth = undefined;
  }
  const truncated = lastTextCol?.text === 'args' ? flagCutCommands(rows, lengths) : false;

  if (rows.length === 0 && hasHeader) ctx.warn(start, 'ps header with no rows under it');
  const draft: CaptureDraft = {
    format: 'ps',
    variant: variantOf(standard?.variant, {
      forest: art, hIndent, mMode, threads: !mMode && rows.length > 0 && rows[0].kind === 'thread',
      // `ps auxc`: the standard BSD format with comm under COMMAND.
      bsdComm: !!standard && !standard.comm && cols.some((c) => c.field === 'text' && c.text === 'comm'),
    }),
    firstLine: start + 1,
    lastLine: last + 1,
    fields: fieldsOf(cols, rows, { depth: art || hIndent, truncated, mMode }),
    rows,
  };
  if (hasHeader) draft.header = cols.map((c) => c.name);
  return { captures: [draft], end: last + 1 };
}

/** The whitespace a line ends with ('' nearly always). */
function trailingSpace(line: string): string {
  const c = line.charCodeAt(line.length - 1);
  return c === 32 || c === 9 ? line.slice(line.trimEnd().length) : '';
}

/**
 * A line that can only be the tail of the row above it (see parsePsTable): not ps's stderr,
 * not a header, and followed by a row, the end, or more of the same (it fills the width too).
 */
function isContinuation(lines: readonly string[], i: number, L: Layout, width: number): boolean {
  const line = lines[i];
  if (PS_STDERR.test(line) || line.includes(' PID ') || line.startsWith('PID ')) return false;
  if (line.length === width) return true;
  const next = lines[i + 1];
  if (next === undefined || isBlank(next) || isBoundary(next)) return true;
  return readRow(next, i + 1, L) !== undefined;
}

/**
 * Rows pasted with their leading spaces but the header without them (`PID TTY          TIME CMD`
 * over `      1 ?        00:00:00 init`) sit to the right of the header by a fixed amount.
 */
function headerShiftOf(lines: readonly string[], start: number, cols: Column[]): number {
  const header = lines[start];
  if (header.charCodeAt(0) === 32 || cols.length === 0 || cols[0].align !== 'R') return 0;
  const first = lines[start + 1];
  if (!first) return 0;
  const toks = headerTokens(first);
  if (toks.length === 0) return 0;
  const d = toks[0].end - cols[0].end;
  return d > 0 && d < 16 ? d : 0;
}

export const psTable: FormatParser = { format: 'ps', sniff: looksLikePsTable, parse: parsePsTable };
