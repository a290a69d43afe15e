// A big input made of one sample's rows repeated (bench/generate-problems.ts: every copy renumbered,
// its tree kept, one PID 1 for all) must give that sample's diagnosis, only bigger: the same rules
// with the same root causes, one finding per copy where the rule is about one parent, and evidence
// that stays a readable size however many processes a finding is about.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateProblems, PROBLEM_SAMPLES } from '../../bench/generate-problems.ts';
import { analyze } from '../analyze.ts';
import type { Analysis, Finding } from '../model/index.ts';
import { EVIDENCE_MAX } from './facts.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const COPIES = 100;

function run(samples: string[], copies: number, moments: 1 | 2 = 1): { a: Analysis; rows: number } {
  const g = generateProblems(0, { samples, copies, moments, root: ROOT });
  return { a: analyze([{ name: 'ps-o-wchan.txt', text: g.text }]), rows: g.rows };
}

/**
 * Rule and root cause with PIDs blanked: `fork-storm:1003` and `fork-storm:1200` are the same kind
 * of finding, and so are `stopped:3,6` and `stopped:1001,1004,…+180` (a PID list, however long).
 */
const kind = (f: Finding) => `${f.rule}|${(f.rootCause ?? '').replace(/\d+(?:,\d+)*(?:,…\+\d+)?/g, '#')}`;
const kinds = (a: Analysis) => [...new Set(a.findings.map(kind))].sort();
const count = (a: Analysis, rule: string) => a.findings.filter((f) => f.rule === rule).length;

/** Rules whose finding is about one parent: one finding per copy of the sample. */
const PER_PARENT = new Set(['zombies-under-d-parent', 'fork-storm', 'traced-process']);

describe(`${COPIES} copies of a sample's rows keep its diagnosis`, () => {
  for (const name of PROBLEM_SAMPLES) {
    it(`${name}: the same kinds of finding, one per copy where a finding is about one parent`, () => {
      const small = run([name], 1).a;
      const big = run([name], COPIES).a;
      expect(small.findings.length).toBeGreaterThan(0);
      // Every finding of the sample is still there, with the same root cause.
      const bigKinds = kinds(big);
      for (const k of kinds(small)) expect(bigKinds).toContain(k);
      // The only new one: a hundred copies started within the same seconds are, to any reader of
      // the ages, hundreds of young children of PID 1 (a fork storm of the one init they share).
      const extra = bigKinds.filter((k) => !kinds(small).includes(k));
      for (const k of extra) expect(k).toBe('fork-storm|fork-storm:#');
      for (const f of big.findings.filter((x) => !kinds(small).includes(kind(x)))) expect(f.pids[0]).toBe(1);
      for (const rule of new Set(small.findings.map((f) => f.rule))) {
        expect(count(big, rule), rule).toBe(PER_PARENT.has(rule) ? COPIES * count(small, rule) : count(small, rule));
      }
      expect(big.notEvaluated.filter((n) => n.missing.startsWith('rule failed'))).toEqual([]);
    });
  }

  for (const moments of [1, 2] as const) {
    it(`d-cluster-fuse (${moments} moment${moments > 1 ? 's' : ''}): one D cluster on /mnt/hung naming all ${8 * COPIES} readers, evidence bounded`, () => {
      const small = run(['d-cluster-fuse'], 1, moments).a.findings.filter((f) => f.rule === 'd-state-cluster');
      const big = run(['d-cluster-fuse'], COPIES, moments).a.findings.filter((f) => f.rule === 'd-state-cluster');
      expect(small).toHaveLength(1);
      expect(big).toHaveLength(1);
      const [s, b] = [small[0], big[0]];
      expect(b.rootCause).toBe(s.rootCause);
      expect(b.rootCause).toBe('path:/mnt/hung');
      expect(b.pids).toHaveLength(8 * COPIES);
      expect(new Set(b.pids).size).toBe(8 * COPIES);
      expect(b.explains).toBe(8 * COPIES);
      expect(b.title).toMatch(new RegExp(`^${8 * COPIES} tasks stuck in D on files under /mnt/hung`));
      // Ten or more tasks on one resource is HIGH (heuristics.md §3); eight is MED.
      expect([s.severity, b.severity]).toEqual(['medium', 'high']);
      // Cited one by one: all 8 tasks of the sample; of the 800, the first 12 and then a count. The
      // FUSE daemon naming the directory is cited once per copy up to 3 (one in the sample).
      const perTask = (f: Finding) => f.evidence.filter((e) => / D, wchan /.test(e.text)).length;
      const daemons = (f: Finding) => f.evidence.filter((e) => e.text.startsWith('also names /mnt/hung: hangfs')).length;
      expect([perTask(s), daemons(s)]).toEqual([8, 1]);
      expect([perTask(b), daemons(b)]).toEqual([12, 3]);
      expect(b.evidence.length).toBe(s.evidence.length - 8 + 12 + 1 - 1 + 3);
      expect(b.evidence.some((e) => e.text === `… and ${8 * COPIES - 12} more`)).toBe(true);
      // The same sentence, counting all of them.
      expect(b.evidence[0].text).toBe(s.evidence[0].text.replace(/^8 tasks/, `${8 * COPIES} tasks`).replace('6× folio', `${6 * COPIES}× folio`).replace('2× fuse', `${2 * COPIES}× fuse`));
      expect(b.evidence[0].text).toContain(`waits: ${6 * COPIES}× folio_wait_bit_common, ${2 * COPIES}× fuse_direct_IO`);
    });
  }

  it('no finding carries an unbounded list: evidence lines, their length and the root-cause key stay small', () => {
    const { a, rows } = run([...PROBLEM_SAMPLES], 60);
    expect(rows).toBeGreaterThan(10_000);
    for (const f of a.findings) {
      expect(f.evidence.length, `${f.rule}: ${f.evidence.length} evidence lines`).toBeLessThanOrEqual(2 * EVIDENCE_MAX);
      for (const e of f.evidence) expect(e.text.length, `${f.rule}: ${e.text.slice(0, 80)}…`).toBeLessThan(1000);
      expect((f.rootCause ?? '').length, `${f.rule} rootCause`).toBeLessThan(200);
      expect(f.title.length, `${f.rule} title`).toBeLessThan(400);
    }
  });
});
