// Finding text mentions PIDs ("postgres (3) is stuck in D", "task fsck.ext4:28301 blocked") and
// counts ("12 zombie children", "12× sh", "up 38s"). Only PIDs become links.

// A number is a PID reference unless a unit or a noun follows it.
const NUMBER = /\b\d{1,10}\b(?!\s*(?:×|x\b|%|s\b|ms\b|sec|min|h\b|zombie|child|task|process|thread|more|of\b|defunct|time|moment|kB|KiB|MiB|GiB|MB|GB|CPU|core|second|minute|hour|day|fork))/g;

export type PidPart = string | { pid: number };

/** Splits text into plain parts and the PIDs (from `pids`) it mentions. */
export function splitPids(text: string, pids: ReadonlySet<number>): PidPart[] {
  if (pids.size === 0) return [text];
  const parts: PidPart[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  NUMBER.lastIndex = 0;
  while ((m = NUMBER.exec(text))) {
    const n = Number(m[0]);
    if (!pids.has(n)) continue;
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ pid: n });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
