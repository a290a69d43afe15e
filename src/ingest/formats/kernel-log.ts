// Kernel log text (dmesg, journalctl -k, /var/log/messages, a bundle's dmesg section): hung-task
// reports, SysRq-w / SysRq-t dumps and their stacks → KernelTask objects, plus the incident
// lines rules need (nfs / libceph / OOM) → meta.notes. Layouts: formats.md §4.
//
// A report (6.18, Debian 12 test machine):
//   [  340.765154] INFO: task bash:7487 blocked for more than 10 seconds.
//   [  340.765731]       Not tainted 6.18.44-fc-v657 #1
//   [  340.766179] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
//   [  340.766825] task:bash            state:D stack:0     pid:7487  tgid:7487  ppid:7483   task_flags:0x400000 flags:0x00080001
//   [  340.766832] Call Trace:
//   [  340.766835]  <TASK>
//   [  340.766839]  __schedule+0x3cc/0xf50
// The task line changed with the kernel (sched_show_task()):
//   2.6.32–4.2  nfsd            D ffff88013fc127c0     0  3782      2 0x00000000   comm state ptr free pid ppid flags
//   4.9–4.18    logrotate       D    0 17344  17342 0x00000080                   comm state free pid ppid flags
//               tracker-store   D12296  2469   1847 0x00000000                   (`%c%5lu`: free ≥ 10000 glues on)
//   5.x         task:kworker/u2:1    state:D stack:    0 pid:19868 ppid:     2 flags:0x00000000
//   6.9         task:fsck.ext4       state:D stack:0     pid:800   tgid:800   ppid:790    flags:0x00004002
//   6.18        task:dd              state:D stack:0     pid:7488  tgid:7488  ppid:7485   task_flags:0x400000 flags:0x00080001
import type { KernelTask, Meta, StateLetter } from '../../model/index.ts';
import { STATE_LETTERS } from '../../model/index.ts';
import { isBoundary } from '../boundaries.ts';
import type { FormatParser, ParseContext, ParseResult } from '../types.ts';
import { cleanFrame } from './proc-stack.ts';

const LETTERS = new Set<string>(STATE_LETTERS);

// ---- prefixes ---------------------------------------------------------------------------------
// `Sep 28 08:07:01 node2 kernel: `, `May 17 18:48:11 kernel: ` (no host), journalctl
// `-o short-precise` (`Nov 26 18:00:00.123456 host kernel: `), rsyslog ISO
// (`2021-11-29T00:44:00.277108+00:00 testbox kernel: `).
const SYSLOG_DATE = String.raw`(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)`;
const SYSLOG_KERNEL = new RegExp(`^${SYSLOG_DATE}(?: \\S+)? kernel: ?`);
// Another program's syslog line (`Sep 28 08:07:01 node2 systemd[1]: Started ...`): part of the
// log, nothing for us.
const SYSLOG_OTHER = new RegExp(`^${SYSLOG_DATE} \\S+ [^\\s:]+(?:\\[\\d+\\])?: `);
// `dmesg -x`: `kern  :info  : `.
const FACILITY = /^[a-z]{2,8}\s*:[a-z]{3,6}\s*: /;
// `<6>` printk level (dmesg -r, /dev/kmsg, serial consoles).
const LEVEL = /^<\d{1,2}>/;
// `[  340.765154]`, `[ 5036.077565 / 05-03 18:11:50.340]` (Android), `[Wed Dec 19 03:36:07 2018]`
// (dmesg -T), `[Nov26 18:00]` / `[  +0.000012]` (dmesg -H).
const STAMP = /^\[(?:\s*\d+\.\d+(?: \/ [^\]]{0,40})?|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}|[A-Z][a-z]{2}\d\d \d\d:\d\d|\s*\+\d+\.\d+)\] ?/;
// `[  T140]` / `[    C3]`: printk caller id after the time stamp.
const CALLER = /^\[\s*[TC]\d+\] ?/;
// dmesg --time-format iso: `2024-01-01T10:00:00,123456+00:00 `.
const ISO_STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[,.]\d+[+-]\d\d:?\d\d /;

export interface Stripped {
  /** The kernel's own text, its leading spaces kept (frames are indented). */
  text: string;
  /** A log prefix (time stamp, syslog, level) was removed: the line is a log line. */
  prefixed: boolean;
  /** The line is another program's syslog line. */
  foreign: boolean;
}

/** Removes every log prefix formats.md §4 lists, in the order they nest. */
export function stripPrefix(line: string): Stripped {
  let s = line;
  let prefixed = false;
  // Indented pastes (markdown code blocks) keep the prefix after the indentation.
  const lead = s.length > 0 && (s.charCodeAt(0) === 32 || s.charCodeAt(0) === 9) ? s.trimStart() : s;
  const c = lead.charCodeAt(0);
  if (c >= 48 && c <= 57 /* digit */ || (c >= 65 && c <= 90) /* A-Z */) {
    const m = SYSLOG_KERNEL.exec(lead);
    if (m) { s = lead.slice(m[0].length); prefixed = true; }
    else if (SYSLOG_OTHER.test(lead)) return { text: '', prefixed: true, foreign: true };
    else if (c <= 57) {
      const iso = ISO_STAMP.exec(lead);
      if (iso) { s = lead.slice(iso[0].length); prefixed = true; }
    }
  } else if (c >= 97 && c <= 122 /* a-z */) {
    const m = FACILITY.exec(lead);
    if (m) { s = lead.slice(m[0].length); prefixed = true; }
  }
  if (!prefixed && (c === 60 /* < */ || c === 91 /* [ */)) s = lead;
  const lv = LEVEL.exec(s);
  if (lv) { s = s.slice(lv[0].length); prefixed = true; }
  const st = STAMP.exec(s);
  if (st) {
    s = s.slice(st[0].length);
    prefixed = true;
    const ca = CALLER.exec(s);
    if (ca) s = s.slice(ca[0].length);
  }
  if (!prefixed) s = line;
  return { text: s, prefixed, foreign: false };
}

// ---- report lines -----------------------------------------------------------------------------
// comm may contain `:` (`kworker/u146:16:495`): the greedy `(.+)` leaves the PID after the LAST `:`.
const HUNG = /^INFO: task (.+):(\d+) (?:blocked|can't die) for more than (\d+) seconds/;
// hung_task.c debug_show_blocker() (6.16+):
//   INFO: task zsh:470 is blocked on a mutex likely owned by task zsh:470.
//   INFO: task X:P blocked on a semaphore likely last held by task Y:Q
//   INFO: task X:P <writer> blocked on an rw-semaphore likely owned by task Y:Q <reader>
//   INFO: task X:P is blocked on a mutex, but the owner is not found.
const BLOCKER = /^INFO: task (.+):(\d+)(?: <(?:reader|writer)>)? (?:is )?blocked on an? (mutex|semaphore|rw-semaphore)(?:,? likely (?:owned|last held) by task (.+):(\d+)(?: <(?:reader|writer)>)?\.?|,? but .*)\s*$/;
const TAINT = /^(?:Not tainted|Tainted: .+?) (\S+) #\S+/;
const ECHO0 = /^"echo 0 > \/proc\/sys\/kernel\/hung_task_timeout_secs" disables this message/;
// 5.x+: comm is `%-15.15s` and may hold spaces, so it runs up to ` state:`.
// A running task (SysRq-t) has `  running task    ` after the state: `state:R  running task     stack:0`.
const TASK_NEW = /^task:(.*?)\s+state:(\S)(?:\s+running task)?\s+stack:\s*(\d+)\s+pid:\s*(\d+)(?:\s+tgid:\s*(\d+))?\s+ppid:\s*(\d+)/;
// 2.6.32–4.2: `%-15.15s %c` + task pointer (or `running task`) + `%5lu %5d %6d 0x%08lx`;
// RHEL5 ends with `(NOTLB)`.
const TASK_OLD = /^(.*?) ([A-Za-z])\s+(?:[0-9a-f]{8,16}|running(?: task)?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(?:0x[0-9a-f]+|\((?:NOTLB|L-TLB)\))$/;
// 4.3–4.18: no pointer; `free` glues onto the state letter from 10000 up (`D12296`).
const TASK_MID = /^(.*?) ([A-Za-z])\s*(?:running task\s+)?(\d+)\s+(\d+)\s+(\d+)\s+0x[0-9a-f]+$/;
const WORKQUEUE = /^Workqueue: (.+)$/;
const CALL_TRACE = /^(?:Call [Tt]race|Backtrace):?$/;
const MARKER = /^<\/?(?:TASK|IRQ|NMI|EOI|EOE|SOFTIRQ)>$/;
// x86/arm64 frames: ` __schedule+0x3cc/0xf50`, ` ? foo+0x10/0x10`, ` [<ffffffff817203fd>] io_schedule+0x9d/0x140`,
// ` [<0>] ...`, `[] ? schedule_timeout+0x1ed/0x2d0` (copy lost `<...>`), ` jbd2_log_wait_commit+0xac/0x120 [jbd2]`,
// arm64 `__switch_to+0xf8/0x168 (T)`, an unnamed address `[<ffffffffa05ed000>] ? 0xffffffffa05ecfff`.
const FRAME = /^(?:\[<[0-9a-fA-F]*>\]\s*|\[\]\s*)?(\? )?([\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+(?: \[[^\]]+\])?|0x[0-9a-f]+)(?: \(T\))?$/;
// arm32: `[<c0882f18>] (__schedule) from [<c0883858>] (schedule+0x64/0xe4)`; 6.x drops the
// addresses and parentheses: `__schedule from schedule+0x20/0x134`.
const ARM_FRAME = /^(?:\[<[0-9a-f]+>\] )?\(?([^\s()]+(?: \[[\w-]+\])?)\)? from (?:\[<[0-9a-f]+>\] )?\(?([^\s()]+(?: \[[\w-]+\])?)\)?$/;
// Register dumps and hex lines inside a report: kept as text, never frames.
const REGS = /^(?:(?:RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d{1,2}|EIP|ESP|EAX|EBX|ECX|EDX|ESI|EDI|EBP|FS|GS|CS|DS|ES|SS|CR\d|DR\d|Code|PKRU|pc|lr|sp|pstate|x\d{1,2})\s*:|r\d{1,2}\s*:[0-9a-f]{8}|Exception stack\(|Stack\s*:|[0-9a-f]{3,4}:(?:\s+[0-9a-f]{8})+\s*$|(?:[0-9a-f]{8}|[0-9a-f]{16})(?:\s+(?:[0-9a-f]{8}|[0-9a-f]{16}))*\s*$|\.\.\.$|Blocked by coredump)/;
const LOCKS = /^Showing all locks held in the system:?$/;
const LOCK_LINE = /^(?:\d+ locks? held by |no locks held by |#\d+: |=+$|INFO: lockdep is turned off)/;
const SUPPRESSED = /^Future hung task reports are suppressed/;
const SYSRQ = /^(?:sysrq: ?|SysRq ?: )+(?:Show (Blocked )?State|Show (Blocked )?Tasks)\s*$|^Show Blocked State$/;
const SYSRQ_COLUMNS = /^task\s+PC\s+stack\s+pid\s+father$/;
const EVENT_NFS = /^nfs: server \S+ /;
const EVENT_CEPH = /^(?:libceph|rbd|ceph): /;
const EVENT_OOM = /Out of memory|oom-kill:|invoked oom-killer|oom_reaper: /;
const MAX_TEXT = 400;
const MAX_EVENTS = 200;

export interface TaskLine { comm: string; state: string; pid: number; ppid: number; tgid?: number }

/** Any per-version task line → its fields, or undefined. */
export function parseTaskLine(text: string): TaskLine | undefined {
  const t = text.trim();
  if (t.startsWith('task:')) {
    const m = TASK_NEW.exec(t);
    if (!m) return undefined;
    const r: TaskLine = { comm: m[1].trimEnd(), state: m[2], pid: Number(m[4]), ppid: Number(m[6]) };
    if (m[5] !== undefined) r.tgid = Number(m[5]);
    return r;
  }
  if (!t.endsWith(')') && !/0x[0-9a-f]+$/.test(t)) return undefined;
  const o = TASK_OLD.exec(t) ?? TASK_MID.exec(t);
  if (!o) return undefined;
  return { comm: o[1].trimEnd(), state: o[2], pid: Number(o[4]), ppid: Number(o[5]) };
}

/** A frame line → `sym+off/len [module]` (`? ` kept for unreliable frames), or undefined. */
export function parseFrame(text: string): string | undefined {
  const m = FRAME.exec(text.trim());
  if (!m) return undefined;
  return (m[1] ?? '') + cleanFrame(m[2]);
}

type Phase = 'header' | 'stack' | 'closed';

export const kernelLog: FormatParser = {
  format: 'kernel-log',

  sniff(lines, start, hint) {
    if (hint.bundleSection === 'dmesg' || hint.bundleSection === 'kernel') return 1;
    const s = stripPrefix(lines[start]);
    const t = s.text.trim();
    if (HUNG.test(t) || BLOCKER.test(t) || SYSRQ.test(t) || SUPPRESSED.test(t)) return 0.95;
    if (t.startsWith('task:') && /\bstate:\S\b/.test(t) && /\bpid:\s*\d/.test(t)) return 0.95;
    if (ECHO0.test(t) || EVENT_NFS.test(t) || EVENT_CEPH.test(t) || (s.prefixed && EVENT_OOM.test(t))) return 0.9;
    if (parseTaskLine(t)) {
      // `logrotate       D    0 17344  17342 0x00000080`: no other input ends a line with three
      // numbers and a 0x flags word after a one-letter state; its stack or hex lines make it sure.
      const next = stripPrefix(lines[start + 1] ?? '').text.trim();
      if (CALL_TRACE.test(next) || WORKQUEUE.test(next) || REGS.test(next) || FRAME.test(next) || ARM_FRAME.test(next)) return 0.9;
      return 0.8;
    }
    if (CALL_TRACE.test(t) && s.prefixed) return 0.85;
    if (s.prefixed && !s.foreign) return 0.5;
    if (s.foreign) {
      // /var/log/messages starts with other programs' lines; claim it if kernel lines follow.
      for (let k = start + 1; k < Math.min(lines.length, start + 200); k++) {
        if (SYSLOG_KERNEL.test(lines[k].trimStart())) return 0.5;
      }
    }
    return 0;
  },

  parse(lines, start, ctx) {
    return parseKernelLog(lines, start, ctx);
  },
};

function parseKernelLog(lines: readonly string[], start: number, ctx: ParseContext): ParseResult {
  const inBundle = ctx.hint.bundleSection === 'dmesg' || ctx.hint.bundleSection === 'kernel';
  const tasks: KernelTask[] = [];
  const meta: Meta = {};
  const events: Record<string, string[]> = {};
  let cur: KernelTask | undefined;
  let phase: Phase = 'closed';
  let sysrq: 'sysrq-w' | 'sysrq-t' | undefined;
  let owner: { comm: string; pid: number } | undefined;
  let inLocks = false;
  let armStarted = false;
  let prevPrefixed = false; // the last unrecognised line carried a log prefix
  let last = start;
  let i = start;

  const close = () => { cur = undefined; phase = 'closed'; };
  const note = (kind: string, text: string) => {
    const list = (events[kind] ??= []);
    if (list.length < MAX_EVENTS) list.push(text);
  };
  const keep = (text: string) => { if (cur && cur.text.length < MAX_TEXT) cur.text.push(text); };

  for (; i < lines.length; i++) {
    const raw = lines[i];
    if (i > start && isBoundary(raw)) break;
    if (raw.trim() === '') { if (phase === 'stack' && !inBundle) close(); continue; }
    const s = stripPrefix(raw);
    if (s.foreign) { last = i; prevPrefixed = true; continue; }
    let text = s.text.replace(/\s+$/, '');
    let t = text.trim();

    // A copied 6.x task line may wrap: `task:fsck.ext4 ... pid:800` / `tgid:800   ppid:790 flags:...`.
    if (t.startsWith('task:')) {
      while (!/(?:^|\s)flags:/.test(t) && i + 1 < lines.length) {
        const nt = stripPrefix(lines[i + 1]).text.trim();
        if (!/^(?:state|stack|pid|tgid|ppid|task_flags|flags):/.test(nt)) break;
        t += ' ' + nt;
        text = t;
        i++;
      }
    }

    if (inLocks) {
      if (LOCK_LINE.test(t)) { last = i; continue; }
      inLocks = false;
    }

    let m: RegExpExecArray | null;
    if ((m = HUNG.exec(t))) {
      cur = {
        line: i + 1, source: 'hung-task', comm: m[1], pid: Number(m[2]), state: 'D',
        blockedSec: Number(m[3]), stack: [], text: [text.trim()],
      };
      tasks.push(cur);
      phase = 'header';
      sysrq = undefined;
      owner = undefined;
      last = i;
      continue;
    }
    if ((m = BLOCKER.exec(t))) {
      const blockedPid = Number(m[2]);
      let blocked = findTask(tasks, blockedPid);
      if (!blocked) {
        // The report itself was cut off; hung_task.c prints this line only for a hung task.
        blocked = { line: i + 1, source: 'hung-task', comm: m[1], pid: blockedPid, state: 'D', stack: [], text: [] };
        tasks.push(blocked);
      }
      if (blocked.text.length < MAX_TEXT) blocked.text.push(t);
      if (m[4] !== undefined) blocked.lockOwner = { comm: m[4], pid: Number(m[5]), kind: m[3] };
      close();
      // The owner's task line and stack follow, unless it is the blocked task itself.
      owner = m[4] !== undefined && Number(m[5]) !== blockedPid ? { comm: m[4], pid: Number(m[5]) } : undefined;
      last = i;
      continue;
    }
    const task = parseTaskLine(t);
    if (task) {
      if (!LETTERS.has(task.state)) ctx.warn(i, `unknown task state letter "${task.state}"`);
      const state = LETTERS.has(task.state) ? (task.state as StateLetter) : null;
      if (cur && phase === 'header' && cur.pid === task.pid && cur.source === 'hung-task' && cur.ppid === undefined) {
        cur.state = state;
        cur.ppid = task.ppid;
        if (task.tgid !== undefined) cur.tgid = task.tgid;
        keep(text);
      } else {
        const source: KernelTask['source'] = owner && owner.pid === task.pid ? 'lock-owner'
          : sysrq ?? (state === 'D' ? 'sysrq-w' : 'sysrq-t');
        cur = { line: i + 1, source, comm: task.comm, pid: task.pid, ppid: task.ppid, state, stack: [], text: [text] };
        if (task.tgid !== undefined) cur.tgid = task.tgid;
        tasks.push(cur);
        owner = undefined;
      }
      phase = 'header';
      armStarted = false;
      last = i;
      continue;
    }
    if (cur && phase === 'header' && (m = TAINT.exec(t))) {
      cur.tainted = t;
      meta.kernel ??= m[1];
      keep(text);
      last = i;
      continue;
    }
    if (ECHO0.test(t)) { keep(text); last = i; continue; }
    if ((m = WORKQUEUE.exec(t))) {
      if (cur && phase !== 'closed') cur.workqueue = m[1];
      keep(text);
      last = i;
      continue;
    }
    if (CALL_TRACE.test(t)) {
      if (cur && phase === 'header') phase = 'stack';
      else if (cur && phase === 'stack' && cur.stack.length > 0) close(); // another trace (a WARNING's)
      keep(text);
      armStarted = false;
      last = i;
      continue;
    }
    if (MARKER.test(t)) { keep(text); last = i; continue; }
    const frame = parseFrame(t);
    if (frame !== undefined) {
      if (cur && phase !== 'closed') { phase = 'stack'; cur.stack.push(frame); keep(text); }
      last = i;
      continue;
    }
    if ((m = ARM_FRAME.exec(t))) {
      // Each line says "X was called from Y": the stack is X of the first line, then every Y.
      if (cur && phase !== 'closed') {
        if (!armStarted || cur.stack.length === 0) cur.stack.push(m[1]);
        cur.stack.push(m[2]);
        armStarted = true;
        phase = 'stack';
        keep(text);
      }
      last = i;
      continue;
    }
    if (REGS.test(t)) { if (cur && phase !== 'closed') keep(text); last = i; continue; }
    if (LOCKS.test(t)) { close(); inLocks = true; last = i; continue; }
    if (SUPPRESSED.test(t)) { (meta.notes ??= {})['hung-task-suppressed'] = t; close(); last = i; continue; }
    if ((m = SYSRQ.exec(t))) {
      close();
      sysrq = t.includes('Blocked') ? 'sysrq-w' : 'sysrq-t';
      owner = undefined;
      last = i;
      continue;
    }
    if (SYSRQ_COLUMNS.test(t)) { last = i; continue; }
    if (EVENT_NFS.test(t)) { note('kernel.nfs', t); close(); last = i; continue; }
    if (EVENT_CEPH.test(t)) { note('kernel.ceph', t); close(); last = i; continue; }
    if (EVENT_OOM.test(t)) { note('kernel.oom', t); close(); last = i; continue; }
    // Anything else: a kernel line we have no use for. It ends a stack; without a log prefix it
    // also ends the section (unless the bundle says the whole section is kernel log).
    if (phase === 'stack') close();
    if (s.prefixed || inBundle) { last = i; prevPrefixed = s.prefixed; continue; }
    // dmesg indents the continuation of a multi-line message under its text:
    //   [    0.423240] amd_pstate: The CPPC feature is supported but currently disabled by the BIOS.
    //                  Please enable it if your BIOS has the CPPC option.
    if (prevPrefixed && /^\s{8,}\S/.test(raw)) { last = i; continue; }
    break;
  }

  const merged = mergeRepeats(tasks);
  for (const [kind, list] of Object.entries(events)) (meta.notes ??= {})[kind] = list.join('\n');
  const sources = [...new Set(merged.map((k) => k.source))].sort();
  return {
    captures: [{
      format: 'kernel-log',
      variant: sources.length > 0 ? sources.join('+') : 'dmesg',
      firstLine: start + 1,
      lastLine: last + 1,
      fields: merged.length > 0 ? ['pid', 'ppid', 'comm', 'state', 'stack'] : [],
      kernelTasks: merged,
      meta,
    }],
    end: last + 1,
  };
}

function findTask(tasks: KernelTask[], pid: number): KernelTask | undefined {
  for (let k = tasks.length - 1; k >= 0; k--) if (tasks[k].pid === pid) return tasks[k];
  return undefined;
}

/**
 * khungtaskd reports a task again while it stays blocked (`blocked for more than 10 seconds`, then
 * 20): one KernelTask per task and source, with the longest time and the first full stack.
 */
function mergeRepeats(tasks: KernelTask[]): KernelTask[] {
  const out: KernelTask[] = [];
  const seen = new Map<string, KernelTask>();
  for (const t of tasks) {
    const key = `${t.source}|${t.pid}|${t.comm}`;
    const first = seen.get(key);
    if (!first) { seen.set(key, t); out.push(t); continue; }
    if (t.blockedSec !== undefined && (first.blockedSec === undefined || t.blockedSec > first.blockedSec)) first.blockedSec = t.blockedSec;
    if (first.stack.length === 0 && t.stack.length > 0) first.stack = t.stack;
    first.ppid ??= t.ppid;
    first.tgid ??= t.tgid;
    first.workqueue ??= t.workqueue;
    first.lockOwner ??= t.lockOwner;
    first.tainted ??= t.tainted;
  }
  return out;
}
