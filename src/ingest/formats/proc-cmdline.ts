// /proc/PID/cmdline: argv, NUL-separated, no newline (a rewritten title such as
// `postgres: checkpointer   ` is one string with spaces and a trailing NUL). Pastes show the NULs
// as `^@` (cat -v), as spaces (tr '\0' ' '), or as nothing (a terminal; our cleanup also drops
// raw NUL bytes), and then argument boundaries are lost: args is kept as one string, like ps.
// The file names no PID, so one comes from a path prefix or the file name:
//   grep -a -H . /proc/[0-9]*/cmdline          /proc/123/cmdline:sleep^@100^@
//   head /proc/*/cmdline                       ==> /proc/123/cmdline <== + the text
//   for p in /proc/[0-9]*; do echo "$p $(tr '\0' ' ' < $p/cmdline)"; done    /proc/123 sleep 100
//   one file named /proc/123/cmdline (or `$ cat -v /proc/123/cmdline` echoed before it)
import type { Row } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';
import {
  errorLineFile, headerPath, hintNames, isDenied, isSelfLine, isForeignHeadHeader, isVanished, pidFromHint, procPath, rowIds,
  splitPrefixed, type ProcPath,
} from './proc-path.ts';

// `/proc/123 sleep 100`, `/proc/5/cmdline /usr/bin/python3 -m http.server`.
const ECHO_LINE = /^(\S*proc\/\d+(?:\/task\/\d+)?)(?:\/cmdline)?:?[ \t]+(.*)$/;
const SYMBOL = /^(?:0|[A-Za-z_][\w.$]*)$/; // what the wchan loop prints

export const procCmdline: FormatParser = {
  format: 'proc-cmdline',

  sniff(lines, start, hint) {
    if (hint.bundleSection === 'cmdline') return 1;
    const line = lines[start];
    if (errorLineFile(line) === 'cmdline') return 0.8;
    if (line.startsWith('==> ')) return headerPath(line)?.file === 'cmdline' ? 0.95 : 0;
    if (line.includes('proc/')) {
      if (splitPrefixed(line, 'cmdline')) return 0.95;
      const m = ECHO_LINE.exec(line);
      if (!m) return 0;
      if (hint.command && /cmdline/.test(hint.command)) return 0.95;
      if (hint.command && /wchan|status|\/stat\b|stack/.test(hint.command)) return 0;
      // One symbol per line is the wchan loop; argv shows spaces, paths or `^@` somewhere.
      for (let i = start; i < Math.min(lines.length, start + 20); i++) {
        const e = ECHO_LINE.exec(lines[i]);
        if (!e) break;
        const v = e[2].trim();
        if (v !== '' && !SYMBOL.test(v)) return 0.7;
      }
      return 0;
    }
    if (pidFromHint(hint, 'cmdline') && (hintNames(hint, 'cmdline') || line.includes('^@'))) return 0.9;
    return 0;
  },

  parse(lines, start, ctx) {
    return parseCmdline(lines, start, ctx);
  },
};

/** `sleep^@100^@` → `sleep 100`; `postgres: checkpointer   ` stays as it is (one argument). */
export function cmdlineArgs(text: string): string {
  if (text.includes('^@')) {
    const parts = text.split('^@');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts.join(' ');
  }
  return text.replace(/[\r\n]+$/, '');
}

function parseCmdline(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const rows: Row[] = [];
  let variant = 'single';
  let pending: ProcPath | undefined;
  let lastPrefixed = false;
  let last = start;
  const add = (p: ProcPath, text: string, i: number, prefixed = false) => {
    if (p.pid < 0) return; // /proc/self: the reading command itself
    const prev = rows[rows.length - 1];
    // An argument holding a newline splits one cmdline over two grep lines:
    // `/proc/20/cmdline:perl^@-e^@...new` + `/proc/20/cmdline:line^@`. ps shows the newline as a space.
    if (prefixed && prev && prev.line === i && prev.pid === p.pid && prev.tid === p.tid && lastPrefixed) {
      prev.args = `${prev.args} ${cmdlineArgs(text)}`;
      return;
    }
    const args = cmdlineArgs(text);
    // Kernel threads and zombies have an empty cmdline: nothing to add to what ps says.
    if (args.trim() === '') return;
    rows.push({ line: i + 1, ...rowIds(p), args });
  };

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && isBoundary(line)) break;
    if (line.trim() === '') continue;
    if (isVanished(line)) { last = i; continue; }
    if (isSelfLine(line, 'cmdline')) { last = i; continue; }
    if (isDenied(line)) { ctx.warn(i, 'not readable (permission denied)'); last = i; continue; }
    if (line.startsWith('==> ')) {
      if (isForeignHeadHeader(line, 'cmdline')) break;
      pending = headerPath(line);
      variant = 'bulk';
      last = i;
      continue;
    }
    if (pending) { add(pending, line, i); pending = undefined; last = i; continue; }
    if (line.includes('proc/')) {
      const pre = splitPrefixed(line, 'cmdline');
      if (pre) { variant = 'grep'; add(pre.path, pre.rest, i, true); lastPrefixed = true; last = i; continue; }
      const e = ECHO_LINE.exec(line);
      const p = e ? procPath(e[1]) : undefined;
      if (e && p) { variant = 'echo'; add(p, e[2], i); last = i; continue; }
    }
    if (i === start) {
      const named = pidFromHint(ctx.hint, 'cmdline');
      if (named) { add(named, line, i); last = i; continue; }
      ctx.warn(i, 'a command line without a PID (no /proc/PID path or file name): not kept');
      last = i;
      continue;
    }
    break;
  }
  return {
    captures: [{ format: 'proc-cmdline', variant, firstLine: start + 1, lastLine: last + 1, fields: ['pid', 'args'], rows }],
    end: last + 1,
  };
}
