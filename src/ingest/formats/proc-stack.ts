// /proc/PID/stack and /proc/PID/task/TID/stack (root only): the kernel stack of a sleeping task,
// innermost frame first.
//   [<0>] percpu_rwsem_wait+0x15f/0x1d0                 4.x+ (addresses hidden: kptr_restrict)
//   [<ffffffff810a1b6d>] io_schedule+0x7d/0xc0          old kernels print the address
//   [<0>] jbd2_log_wait_commit+0xac/0x120 [jbd2]        module frames keep their `[module]`
//   [<ffffffffffffffff>] 0xffffffffffffffff             old end-of-stack marker (dropped)
// Many tasks: `grep -H . /proc/5/task/*/stack` (`/proc/5/task/5/stack:[<0>] kernel_clone+0x1af/0x3e0`),
// `==> /proc/5/stack <==` blocks, or `echo "== $p"` headers. A bare stack belongs to the PID its
// file name or echoed command names; without one it is reported, not guessed.
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';
import {
  errorLineFile, headerPath, isDenied, isSelfLine, isForeignHeadHeader, isVanished, pidFromHint, rowIds, splitPrefixed, SELF_PID, type ProcPath,
} from './proc-path.ts';

const FRAME = /^\s*\[<([0-9a-fA-F]+)>\]\s+(\S.*?)\s*$/;
const END_MARKER = /^0x[fF]+$/;

export const procStack: FormatParser = {
  format: 'proc-stack',

  sniff(lines, start, hint) {
    if (hint.bundleSection === 'stacks' || hint.bundleSection === 'stack') return 1;
    const line = lines[start];
    if (errorLineFile(line) === 'stack') return 0.8;
    if (line.startsWith('[<')) return FRAME.test(line) && !line.includes('] ? ') ? 0.9 : 0;
    if (line.startsWith('==> ')) {
      if (headerPath(line)?.file !== 'stack') return 0;
      return FRAME.test(lines[start + 1] ?? '') ? 0.95 : 0;
    }
    if (line.includes('proc/')) {
      const pre = splitPrefixed(line, 'stack');
      if (pre) return FRAME.test(pre.rest) ? 0.95 : 0;
    }
    const h = headerPath(line);
    if (h && FRAME.test(lines[start + 1] ?? '') && !(lines[start + 1] ?? '').startsWith(' ')) return 0.9;
    return 0;
  },

  parse(lines, start, ctx) {
    return parseStack(lines, start, ctx);
  },
};

/** `jbd2_log_wait_commit+0xac/0x120 [jbd2]` as printed; a module's build id is dropped. */
export function cleanFrame(text: string): string {
  // `__cv_timedwait_common+0x12f/0x170 [spl 62b773ea704ae18205ae386dda0682cb4d327483]` → `[spl]`
  return text.replace(/ \[([\w-]+) [0-9a-f]{20,}\]$/, ' [$1]');
}

function parseStack(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  let current: Row | undefined;
  let header: ProcPath | undefined;
  let variant = 'single';
  let orphanWarned = false;
  let skipping = false; // inside a `==> /proc/self/stack <==` block
  let last = start;

  const rowFor = (p: ProcPath, lineIndex: number): Row => {
    const key = `${p.pid}/${p.tid ?? ''}`;
    let row = byKey.get(key);
    if (!row) {
      row = { line: lineIndex + 1, ...rowIds(p), stack: [] };
      byKey.set(key, row);
      rows.push(row);
    }
    return row;
  };
  const push = (row: Row | undefined, frameText: string, lineIndex: number) => {
    if (END_MARKER.test(frameText) || skipping) return;
    if (!row) {
      if (!orphanWarned) {
        ctx.warn(lineIndex, 'kernel stack without a PID (no /proc/PID path, `==>` header or file name): not joined to any process');
        orphanWarned = true;
      }
      return;
    }
    row.stack!.push(cleanFrame(frameText));
  };

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') continue;
    if (isVanished(line)) { last = i; continue; }
    if (isSelfLine(line, 'stack')) { last = i; continue; }
    if (isDenied(line)) { ctx.warn(i, 'kernel stack not readable (permission denied: /proc/PID/stack needs root)'); last = i; continue; }
    if (line.startsWith('==> ')) {
      if (isForeignHeadHeader(line, 'stack')) break;
      header = headerPath(line);
      skipping = header?.pid === SELF_PID;
      current = header && !skipping ? rowFor(header, i) : undefined;
      variant = 'bulk';
      last = i;
      continue;
    }
    const pre = line.includes('proc/') ? splitPrefixed(line, 'stack') : undefined;
    if (pre) {
      const f = FRAME.exec(pre.rest);
      if (!f) { ctx.warn(i, 'not a kernel stack frame'); last = i; continue; }
      variant = 'grep';
      push(rowFor(pre.path, i), f[2], i);
      last = i;
      continue;
    }
    const f = FRAME.exec(line);
    if (f) {
      if (!current && rows.length === 0) {
        const named = pidFromHint(ctx.hint, 'stack');
        if (named) current = rowFor(named, i);
      }
      push(current, f[2], i);
      last = i;
      continue;
    }
    const h = headerPath(line);
    if (h) {
      header = h;
      skipping = false;
      current = rowFor(h, i);
      variant = 'bulk';
      last = i;
      continue;
    }
    // The bundle marks empty sections with a `#` comment (`# no task in D`).
    if (ctx.hint.bundleSection && line.startsWith('#')) { last = i; continue; }
    break;
  }
  const kept = rows.filter((r) => r.stack!.length > 0);
  return {
    captures: [{
      format: 'proc-stack', variant: kept.some((r) => r.kind === 'thread') ? `${variant}-tasks` : variant,
      firstLine: start + 1, lastLine: last + 1, fields: ['pid', 'stack'], rows: kept,
    }],
    end: last + 1,
  };
}
