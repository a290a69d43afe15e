import { describe, expect, it } from 'vitest';
import { analysed, expectedOf } from './samples.testutil.ts';
import { splitPids } from './pidText.ts';

const linked = (text: string, pids: number[]) => splitPids(text, new Set(pids)).filter((p) => typeof p !== 'string').map((p) => (p as { pid: number }).pid);

describe('PIDs inside finding text', () => {
  it('links a PID in parentheses and after a task name, not counts', () => {
    expect(linked('postgres (3) is stuck in D and cannot reap its 12 zombie children (12× sh)', [3, 12])).toEqual([3]);
    expect(linked('INFO: task fsck.ext4:28301 blocked for more than 20 seconds', [28301, 20])).toEqual([28301]);
    expect(linked('D in every moment over 12s, 4 tasks', [12, 4])).toEqual([]);
  });

  it('keeps all the text when it splits', () => {
    const text = 'dd (27107), dd (27108)';
    expect(splitPids(text, new Set([27107, 27108])).map((p) => (typeof p === 'string' ? p : String(p.pid))).join('')).toBe(text);
  });

  it("links the cause PID in a real finding's title", () => {
    const cause = expectedOf('d-parent-zombies').findings[0].pids[0];
    const f = analysed('d-parent-zombies').findings.find((x) => x.rule === 'zombies-under-d-parent')!;
    expect(linked(f.title, f.pids)[0]).toBe(cause);
  });
});
