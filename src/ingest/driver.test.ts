// The ingest driver (index.ts) with big inputs: nothing may throw, whatever the count of problems.
import { describe, expect, it } from 'vitest';
import { ingest } from './index.ts';

describe('ingest driver on big inputs', () => {
  it('keeps a warning for each of 200,000 unreadable ps rows instead of throwing', () => {
    // Row-shaped lines whose STAT is no process state: each one is reported, with its line.
    const lines = ['USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND'];
    for (let i = 0; i < 200_000; i++) lines.push(`root     ${String(1000 + i).padStart(7)}  0.0  0.0  10000  2000 ?        Q!   18:28   0:00 /bin/x`);
    const r = ingest([{ name: 'ps.txt', text: lines.join('\n') }]);
    const rowWarnings = r.warnings.filter((w) => w.message.startsWith('ps row not read: STAT "Q!"'));
    expect(rowWarnings).toHaveLength(200_000);
    expect(rowWarnings[199_999].line).toBe(200_001);
  });
});
