import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rule } from './odd-state-letter.ts';
import { editLine, runRule, sampleInputs, withFile } from './test-helpers.ts';

const FIXTURES = join(import.meta.dirname, '..', '__fixtures__');

describe('odd-state-letter (P20)', () => {
  it('does not take BusyBox `SW` (W second: VSZ 0) for W paging', () => {
    const text = readFileSync(join(FIXTURES, 'busybox-kthreads', 'busybox-ps-o.txt'), 'utf8');
    expect(text).toMatch(/\sSW\s/);
    const r = runRule(rule, [{ name: 'busybox-ps-o.txt', text }]);
    expect(r.missing).toBeUndefined();
    expect(r.findings).toEqual([]);
  });

  it('stays quiet on every ordinary capture', () => {
    for (const s of ['ps-aux', 'ps-el', 'top-b-n3', 'proc-status-bulk', 'busybox-top', 'baseline-busy-host']) {
      expect(runRule(rule, sampleInputs(s)).findings, s).toEqual([]);
    }
  });

  it('reports X as a capture that raced with an exit, LOW', () => {
    const inputs = sampleInputs('ps-aux');
    const text = editLine(inputs[0].text, (l) => /^root\s+22\s/.test(l), (l) => l.replace(' T    ', ' X    '));
    const { findings } = runRule(rule, withFile(inputs, inputs[0].name, text));
    expect(findings.map((f) => [f.severity, f.pids, f.rootCause])).toEqual([['low', [22], 'data-quality:dead']]);
    expect(findings[0].evidence[0]).toMatchObject({ pid: 22, input: 'ps-aux.txt' });
  });

  it('reports W as the first letter (paging, Waking or a misread column)', () => {
    const inputs = sampleInputs('ps-aux');
    const text = editLine(inputs[0].text, (l) => /^root\s+21\s/.test(l), (l) => l.replace(' S    ', ' W    '));
    const { findings } = runRule(rule, withFile(inputs, inputs[0].name, text));
    expect(findings).toHaveLength(1);
    expect(findings[0].title).toMatch(/W as the state letter/);
    expect(findings[0].next.some((n) => n.includes('/proc/21/stat'))).toBe(true);
  });
});
