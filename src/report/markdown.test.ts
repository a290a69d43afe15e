// The postmortem's finding section, as `analyze --markdown` prints it and as the app copies a
// single finding. Built from real samples (samples/d-parent-zombies) through the whole core.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analyze.ts';
import { findingMarkdown, toMarkdown } from './markdown.ts';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/d-parent-zombies');
const inputs = (edit: (t: string) => string = (t) => t) => readdirSync(SAMPLE)
  .filter((n) => n !== 'README.md' && n !== 'expected.json').sort()
  .map((n) => ({ name: n, text: edit(readFileSync(path.join(SAMPLE, n), 'utf8')) }));

/** The lines of a Markdown text that are outside fenced code blocks. */
function outsideFences(md: string): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const m = /^(`{3,})/.exec(line);
    if (m && (fence === null || m[1].length >= fence.length && line.trim() === m[1])) {
      fence = fence === null ? m[1] : null;
      continue;
    }
    if (fence === null) out.push(line);
  }
  return out;
}

describe('findingMarkdown', () => {
  const a = analyze(inputs());
  const f = a.findings.find((x) => x.rule === 'zombies-under-d-parent')!;
  const snap = a.snapshots[f.snapshot];

  it('has the title, the evidence and the next commands in a fence', () => {
    const md = findingMarkdown(f, snap).join('\n');
    expect(md).toMatch(/^### HIGH: postgres \(3\)/);
    expect(md).toContain('Rule `zombies-under-d-parent` · PIDs 3, 5, 6');
    expect(md).toContain('- kernel stack of postgres (3): kernel\\_clone');
    expect(md).toMatch(/Next steps:\n\n```\ncat \/proc\/3\/stack \/proc\/3\/wchan\n/);
  });

  it('draws the subtree around the cited processes once, not once per cited process', () => {
    const md = findingMarkdown(f, snap).join('\n');
    // PID 3 and its zombies share the parent chain: 1 is drawn with 3 under it, and 3 not again.
    expect(md.match(/^(?:[│├└─ ]*)3 D postgres/gm)).toHaveLength(1);
    expect(md).toContain('1 S /bin/bash /tmp/s2/case3.sh');
  });

  it('says which host and moment a finding copied on its own is about', () => {
    const alone = findingMarkdown(f, snap, { standalone: true }).join('\n');
    const inReport = findingMarkdown(f, snap).join('\n');
    expect(alone).toMatch(/\nSnapshot: .+\n/);
    expect(inReport).not.toContain('Snapshot:');
  });

  it('keeps a <script> in a command line as text: escaped in prose, verbatim only inside fences', () => {
    // The real capture with the postgres command line swapped for hostile markup.
    const hostile = analyze(inputs((t) => t.replaceAll('postgres -D /var/lib/postgresql/data', '<script>alert(1)</script> -D /x')));
    const hf = hostile.findings.find((x) => x.rule === 'zombies-under-d-parent')!;
    const md = findingMarkdown(hf, hostile.snapshots[hf.snapshot]).join('\n');
    expect(md).toContain('<script>alert(1)</script> -D /x'); // in the process tree's fence
    const prose = outsideFences(md).join('\n');
    expect(prose).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(prose).not.toMatch(/(?<!\\)<script/);
  });
});

describe('toMarkdown', () => {
  it('writes each finding under the Findings heading with its severity', () => {
    const md = toMarkdown(analyze(inputs()), { permalink: 'https://example.invalid/#s=1.x' });
    expect(md).toMatch(/^## Process snapshot analysis/);
    expect(md).toContain('Snapshot: <https://example.invalid/#s=1.x>');
    expect(md).toMatch(/### Findings \(\d+\)\n\n### HIGH: postgres \(3\)/);
  });
});
