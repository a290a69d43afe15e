// Small formatting helpers shared by the text and Markdown reports.
import type { Process, StateCounts } from '../model/index.ts';

export const STATE_NAMES: Record<string, string> = {
  D: 'uninterruptible (D)', R: 'running (R)', S: 'sleeping (S)', T: 'stopped (T)', t: 'traced (t)',
  Z: 'zombie (Z)', X: 'dead (X)', I: 'idle kthread (I)', W: 'paging/waking (W)', P: 'parked (P)', '?': 'unknown',
};
const ORDER = ['D', 'R', 'Z', 'T', 't', 'S', 'I', 'X', 'W', 'P', '?'];

/** `D 3 · R 2 · S 120` in the order an SRE reads them (alarming first). */
export function stateLine(c: StateCounts): string {
  return ORDER.filter((s) => c[s]).map((s) => `${s} ${c[s]}`).join(' · ') || 'none';
}

export function commandOf(p: Process, max = 100): string {
  const s = p.args ?? p.comm ?? '?';
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function fmtKiB(k: number | undefined): string {
  if (k === undefined) return '?';
  if (k >= 1048576) return `${(k / 1048576).toFixed(1)} GiB`;
  if (k >= 1024) return `${(k / 1024).toFixed(1)} MiB`;
  return `${k} KiB`;
}

export function fmtAge(sec: number | undefined): string {
  if (sec === undefined) return '?';
  if (sec < 120) return `${Math.round(sec)}s`;
  if (sec < 7200) return `${Math.round(sec / 60)}m`;
  if (sec < 172800) return `${(sec / 3600).toFixed(1)}h`;
  return `${(sec / 86400).toFixed(1)}d`;
}

/** Forest text of a subtree (parentage from PPID), like `ps -ef --forest`, limited in lines. */
export function forestText(pids: readonly number[], byPid: Map<number, Process>, maxLines = 60): string[] {
  const lines: string[] = [];
  const walk = (pid: number, prefix: string, last: boolean, top: boolean) => {
    if (lines.length >= maxLines) return;
    const p = byPid.get(pid);
    if (!p) return;
    const head = top ? '' : prefix + (last ? '└─ ' : '├─ ');
    lines.push(`${head}${p.pid} ${p.stat ?? p.state ?? '?'} ${commandOf(p, 80)}${p.wchan ? `  [${p.wchan}]` : ''}`);
    const next = top ? '' : prefix + (last ? '   ' : '│  ');
    p.children.forEach((c, i) => walk(c, next, i === p.children.length - 1, false));
  };
  for (const pid of pids) walk(pid, '', true, true);
  if (lines.length >= maxLines) lines.push('…');
  return lines;
}

/** Findings that share a root cause, for a "one cause" line: only keys shared by two or more rules. */
export function sharedCauses(findings: readonly { rule: string; rootCause?: string }[]): [string, string[]][] {
  const by = new Map<string, string[]>();
  for (const f of findings) {
    if (!f.rootCause) continue;
    const rules = by.get(f.rootCause) ?? [];
    if (!rules.includes(f.rule)) rules.push(f.rule);
    by.set(f.rootCause, rules);
  }
  return [...by.entries()].filter(([, rules]) => rules.length > 1);
}
