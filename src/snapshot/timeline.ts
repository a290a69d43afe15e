// timeline: which captures make up each moment. An input with several moments (top -b -n3, two
// pastes of ps) contributes its k-th moment to snapshot k; an input with one moment (a dmesg, a
// /proc dump) belongs to every snapshot, since all inputs given together are parts of one capture.
import type { Capture } from '../model/index.ts';

export function momentsOf(captures: readonly Capture[]): Capture[][] {
  if (captures.length === 0) return [];
  const momentsPerInput = new Map<string, number>();
  for (const c of captures) momentsPerInput.set(c.input, Math.max(momentsPerInput.get(c.input) ?? 0, c.moment + 1));
  const n = Math.max(...momentsPerInput.values());
  const out: Capture[][] = Array.from({ length: n }, () => []);
  for (const c of captures) {
    if ((momentsPerInput.get(c.input) ?? 1) === 1) for (const m of out) m.push(c);
    else out[c.moment].push(c);
  }
  return out;
}
