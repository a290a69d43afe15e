// A readable dump of a snapshot, one line per process (`pid ppid state wchan args`) and one per
// thread under it: what samples/<case>/expected.json keeps and a reviewer reads line by line.
import type { Snapshot } from '../model/index.ts';

// Control characters (a tab or newline inside an argument, `\011`/`\012` in pstree -a) are shown
// escaped so one process stays one line.
const esc = (t: string) => t.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

export function dumpSnapshot(s: Snapshot): string[] {
  const out: string[] = [];
  for (const p of s.processes) {
    const cmd = esc(p.args ?? (p.comm !== undefined ? `(${p.comm})` : '?'));
    out.push(`${p.pid} ${p.ppid ?? '?'} ${p.state ?? '?'} ${p.wchan ?? '-'} ${cmd}${p.truncated ? ' [truncated?]' : ''}`);
    for (const t of p.threads) {
      if (t.tid === p.pid && p.threads.length === 1) continue;
      out.push(`  ${t.tid} ${t.state ?? '?'} ${t.wchan ?? '-'}${t.comm !== undefined ? ` ${t.comm}` : ''}`);
    }
    for (const k of p.kernelTasks) out.push(`  kernel ${k.source} ${k.comm}:${k.pid} ${k.state ?? '?'}${k.blockedSec !== undefined ? ` blocked ${k.blockedSec}s` : ''}${k.lockOwner ? ` owner ${k.lockOwner.comm}:${k.lockOwner.pid}` : ''}`);
  }
  for (const k of s.kernelTasks) out.push(`kernel ${k.comm}:${k.pid} ${k.state ?? '?'} ${k.source}${k.blockedSec !== undefined ? ` ${k.blockedSec}s` : ''}`);
  return out;
}
