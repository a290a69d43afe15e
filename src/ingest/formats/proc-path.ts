// Shared by the /proc/PID/* parsers: where a PID (and TID) comes from when a dump names its
// files. Dumps name them in four ways, all real shapes from formats.md §3:
//   `==> /proc/1/status <==`                  head/tail -n +1 over many files
//   `/proc/1/status:State:	S (sleeping)`      grep -H / grep over a glob
//   `== /proc/1`, `--- /proc/5/task/7 ---`     echo separators in a shell loop
//   `proc/1/status`, `sosreport-n1/proc/1/stack`   sos trees (relative paths)
import type { Hint } from '../types.ts';

export type ProcFile = 'status' | 'stat' | 'wchan' | 'stack' | 'cmdline';

export interface ProcPath {
  pid: number;
  /** Set for `/proc/PID/task/TID/...`: the row is a thread of `pid`. */
  tid?: number;
  file?: string;
}

// `/proc/5/task/7/stack`, `proc/5/stat`, `/host/proc/12`; not `/proc/[0-9]*/wchan` (a glob).
const PROC_PATH = /(?:^|\/)proc\/(\d+)(?:\/task\/(\d+))?(?:\/([a-z_]+))?(?=$|[\s:'"<>)])/;

/** The PID/TID a path names, or undefined (`/proc/[0-9]*` globs, `/proc/self`, no path). */
export function procPath(text: string): ProcPath | undefined {
  if (!text.includes('proc/')) return undefined;
  const m = PROC_PATH.exec(text);
  if (!m) return undefined;
  const p: ProcPath = { pid: Number(m[1]) };
  if (m[2] !== undefined) p.tid = Number(m[2]);
  if (m[3] !== undefined) p.file = m[3];
  return p;
}

// `/proc/1/status:Name:	sleep` → path `/proc/1/status`, rest `Name:	sleep`. The path ends at
// the first `:` after the file name; the rest may contain `:` itself.
const PREFIXED = /^(\S*?proc\/\d+(?:\/task\/\d+)?\/(status|stat|wchan|stack|cmdline)):(.*)$/;

/** A `grep -H`-style line for one of the given files, split into its path and the file's text. */
export function splitPrefixed(line: string, file: ProcFile): { path: ProcPath; rest: string } | undefined {
  if (!line.includes('proc/')) return undefined;
  const m = PREFIXED.exec(line);
  if (!m || m[2] !== file) return undefined;
  const path = procPath(m[1]);
  return path ? { path, rest: m[3] } : undefined;
}

// `/proc/self/status:State:	R (running)`: a glob over /proc/* also matches the reading command
// itself (self, thread-self). Those lines describe the capture tool, not the system: skipped.
const SELF = /^\S*proc\/(?:self|thread-self)(?:\/task\/\d+)?\/(status|stat|wchan|stack|cmdline)[:\s]/;
export function isSelfLine(line: string, file: ProcFile): boolean {
  if (!line.includes('self/')) return false;
  const m = SELF.exec(line);
  return m !== null && m[1] === file;
}

// `==> /proc/1/status <==` (head, tail). Busybox prints the same.
const HEAD_HEADER = /^==> (.+) <==\s*$/;
// `== /proc/1`, `=== /proc/1/stack ===`, `--- 5 ---`, `### /proc/5/task/7`, `PID 5:` — what people
// `echo` between files in a loop. Only a path or a bare PID inside counts.
const ECHO_HEADER = /^\s*(?:={2,}|-{3,}|#{1,3})\s*(\S+?)\s*(?:={2,}|-{3,})?\s*$/;
const PID_WORD_HEADER = /^\s*(?:pid|PID|tid|TID)[\s:=]+(\d+)\s*:?\s*$/;

/** A separator line between files of a bulk dump, with the PID/TID it introduces. */
export function headerPath(line: string): ProcPath | undefined {
  const c = line.charCodeAt(0);
  if (c === 61 /* = */) {
    const h = HEAD_HEADER.exec(line);
    if (h) return procPath(h[1]) ?? selfPath(h[1]);
  }
  if (c === 61 || c === 45 /* - */ || c === 35 /* # */ || c === 32) {
    const e = ECHO_HEADER.exec(line);
    if (e) {
      if (/^\d+$/.test(e[1])) return { pid: Number(e[1]) };
      const p = procPath(e[1]);
      if (p) return p;
    }
  }
  if (c === 80 || c === 112 || c === 84 || c === 116) {
    const w = PID_WORD_HEADER.exec(line);
    if (w) return { pid: Number(w[1]) };
  }
  return undefined;
}

/** A `==> f <==` header whose file is not a /proc PID file: the end of our part of a dump. */
export function isForeignHeadHeader(line: string, file: ProcFile): boolean {
  const h = HEAD_HEADER.exec(line);
  if (!h) return false;
  const p = procPath(h[1]) ?? selfPath(h[1]);
  return !p || (p.file !== undefined && p.file !== file);
}

/** The pid of `/proc/self/...` paths: their lines are read and dropped (see isSelfLine). */
export const SELF_PID = -1;
function selfPath(path: string): ProcPath | undefined {
  const m = /(?:^|\/)proc\/(?:self|thread-self)(?:\/task\/\d+)?\/([a-z_]+)$/.exec(path);
  return m ? { pid: SELF_PID, file: m[1] } : undefined;
}

// `cat: /proc/123/status: No such file or directory`, `head: cannot open '/proc/9/status' for
// reading: No such file or directory`, `grep: /proc/77/wchan: No such process`: PIDs that exited
// between the glob and the read. Normal in every bulk dump.
const VANISHED = /^(?:[\w./-]+: )?.*proc\/(?:\d+|\[0-9\]\*|\*)\S*.*: (?:No such file or directory|No such process)\s*$/;
export function isVanished(line: string): boolean {
  return line.includes('No such') && VANISHED.test(line);
}

// `cat: /proc/5/stack: Permission denied`: stacks need root. Worth a warning: the dump is missing
// what the user meant to capture.
const DENIED = /^(?:[\w./-]+: )?.*proc\/\S+: (?:Permission denied|Operation not permitted)\s*$/;
export function isDenied(line: string): boolean {
  return line.includes('ermi') || line.includes('not permitted') ? DENIED.test(line) : false;
}

/** The /proc file an error line (vanished PID, permission denied) is about: it belongs to that dump. */
export function errorLineFile(line: string): string | undefined {
  if (!isVanished(line) && !isDenied(line)) return undefined;
  const m = /proc\/(?:\d+|self|thread-self|\*|\[0-9\]\*)(?:\/task\/(?:\d+|\*))?\/([a-z_]+)/.exec(line);
  return m ? m[1] : undefined;
}

/**
 * The PID a single-file paste belongs to, from its file name (`/proc/123/wchan`, `proc/123/stack`,
 * `123.stack`, `stack-123.txt`) or the echoed command (`$ cat /proc/123/stack`). A glob
 * (`/proc/[0-9]*`) names no PID.
 */
export function pidFromHint(hint: Hint, file: ProcFile): ProcPath | undefined {
  const fromName = procPath(hint.fileName);
  if (fromName) return fromName;
  if (hint.command) {
    const fromCmd = procPath(hint.command);
    if (fromCmd) return fromCmd;
  }
  const base = hint.fileName.replace(/^.*[\\/]/, '');
  const m = new RegExp(`^(?:${file}[._-](\\d+)|(\\d+)[._-]${file})(?:\\.\\w+)?$`).exec(base);
  if (m) return { pid: Number(m[1] ?? m[2]) };
  return undefined;
}

/** Whether the file name or the bundle section says this input is that /proc file. */
export function hintNames(hint: Hint, file: ProcFile): boolean {
  const base = hint.fileName.replace(/^.*[\\/]/, '').replace(/\.(?:txt|log|out)$/, '');
  if (base === file || base.startsWith(`${file}-`) || base.startsWith(`${file}.`) || base.endsWith(`.${file}`) || base.endsWith(`-${file}`) || base.endsWith(`_${file}`)) return true;
  if (procPath(hint.fileName)?.file === file) return true;
  if (hint.command && new RegExp(`/${file}\\b`).test(hint.command)) return true;
  return false;
}

/** The row kind and ids for a path: a task path is a thread of its process. */
export function rowIds(p: ProcPath): { kind: 'process' | 'thread'; pid: number; tid?: number } {
  return p.tid !== undefined ? { kind: 'thread', pid: p.pid, tid: p.tid } : { kind: 'process', pid: p.pid };
}
