// engine: run every rule over the snapshots; order findings by severity, then by how much they
// explain; list rules that could not run in notEvaluated with what to capture.
import { severityRank, type Finding, type IngestResult, type NotEvaluated, type Process, type Snapshot } from '../model/index.ts';
import { indexByPid } from '../snapshot/index.ts';
import { RULES } from './rules/index.ts';
import type { Rule, RuleContext } from './types.ts';

export interface Diagnosis {
  findings: Finding[];
  notEvaluated: NotEvaluated[];
}

export function diagnose(snapshots: readonly Snapshot[], ingest: IngestResult, rules: readonly Rule[] = RULES): Diagnosis {
  if (snapshots.length === 0) {
    return { findings: [], notEvaluated: rules.map((r) => ({ rule: r.id, missing: 'no processes in the input' })) };
  }
  const cache = new Map<Snapshot, Map<number, Process>>();
  const current = snapshots[snapshots.length - 1];
  const ctx: RuleContext = {
    snapshots, current, ingest,
    byPid(s = current) {
      let m = cache.get(s);
      if (!m) { m = indexByPid(s); cache.set(s, m); }
      return m;
    },
  };
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  for (const rule of rules) {
    const missing = rule.missing(ctx);
    if (missing !== null) { notEvaluated.push({ rule: rule.id, missing }); continue; }
    try {
      for (const d of rule.evaluate(ctx)) findings.push({ ...d, rule: rule.id, snapshot: d.snapshot ?? current.index });
    } catch (err) {
      // A rule bug must not hide the other findings; say which rule failed.
      notEvaluated.push({ rule: rule.id, missing: `rule failed on this input: ${(err as Error).message}` });
    }
  }
  // Rule ids ranked once by localeCompare (equal ids, equal rank): 11k findings sort in 150k
  // comparisons, and a localeCompare in each was most of the engine's own time.
  const ids = [...new Set(findings.map((f) => f.rule))].sort((a, b) => a.localeCompare(b));
  const rank = new Map<string, number>();
  ids.forEach((id, i) => rank.set(id, i > 0 && ids[i - 1].localeCompare(id) === 0 ? rank.get(ids[i - 1])! : i));
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || b.explains - a.explains || rank.get(a.rule)! - rank.get(b.rule)!);
  return { findings, notEvaluated };
}
