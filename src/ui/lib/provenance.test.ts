import { describe, expect, it } from 'vitest';
import { fieldSource, InputLines, refLabel } from './provenance.ts';
import { latest, sampleInputs } from './samples.testutil.ts';

describe('where a field came from', () => {
  it("points a D reader's wait channel at the input line that printed it", () => {
    const s = latest('d-cluster-fuse');
    const p = s.processes.find((x) => x.pid === 27107)!;
    const ref = fieldSource(s, p, 'wchan')!;
    const lines = new InputLines(sampleInputs('d-cluster-fuse'));
    const raw = lines.line(s.sources[ref.s].input, ref.line)!;
    expect(raw).toContain('27107');
    expect(raw).toContain(p.wchan!);
    expect(refLabel(s, ref)).toMatch(/^[\w.-]+:\d+$/);
  });

  it('numbers lines the way the ingest does, with CRLF and lone CR', () => {
    const lines = new InputLines([{ name: 'paste', text: 'a\r\nb\rc\nd' }]);
    expect([1, 2, 3, 4].map((n) => lines.line('paste', n))).toEqual(['a', 'b', 'c', 'd']);
    expect(lines.line('other', 1)).toBeUndefined();
  });
});
