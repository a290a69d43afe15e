// The postmortem section: capture metadata, findings with evidence and next steps, state counts,
// and the subtree around the findings as forest text. Used by `analyze --markdown` and the app.
import type { Analysis, Finding, Process, Snapshot } from '../model/index.ts';
import { ancestry, indexByPid } from '../snapshot/index.ts';
import { evidenceText } from './json.ts';
import { forestText, sharedCauses, stateLine } from './format.ts';

export interface MarkdownOptions {
  /** A permalink to the shared snapshot, added under the title. */
  permalink?: string;
  title?: string;
}

/** Markdown can't hold raw `|`, backticks or HTML from a command line safely: escape them. */
export function mdEscape(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

function fence(lines: readonly string[]): string[] {
  // A fence longer than any backtick run inside, so a command line can't close it.
  const longest = Math.max(2, ...lines.map((l) => (l.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length), 0)));
  const f = '`'.repeat(longest + 1);
  return [f, ...lines, f];
}

/** One list item per evidence line: a line break inside would end the item (and start a paragraph). */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, ' ');
}

export interface FindingMarkdownOptions {
  /**
   * The finding is copied on its own (the app's "Copy as Markdown"): add a line saying which
   * host and moment it is about, since the postmortem's heading table is not around it.
   */
  standalone?: boolean;
}

export function findingMarkdown(f: Finding, snapshot?: Snapshot, opts: FindingMarkdownOptions = {}): string[] {
  const out = [`### ${f.severity.toUpperCase()}: ${mdEscape(oneLine(f.title))}`, ''];
  if (opts.standalone && snapshot) {
    const names = [...new Set(snapshot.sources.map((s) => s.input))];
    const where = [
      snapshot.meta.host && `host ${snapshot.meta.host}`,
      snapshot.takenAt ?? snapshot.meta.clock ?? (snapshot.label !== 'snapshot' ? snapshot.label : undefined),
      names.length > 0 && `from ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''}`,
    ].filter((x): x is string => !!x);
    if (where.length) out.push(`Snapshot: ${mdEscape(oneLine(where.join(' · ')))}`, '');
  }
  out.push(`Rule \`${f.rule}\` · PIDs ${f.pids.join(', ')}`, '', mdEscape(oneLine(f.summary)), '');
  if (f.evidence.length) {
    out.push('Evidence:', '');
    for (const e of f.evidence) out.push(`- ${mdEscape(oneLine(evidenceText(e)))}`);
    out.push('');
  }
  if (f.next.length) {
    out.push('Next steps:', '', ...fence(f.next), '');
  }
  if (snapshot && f.pids.length) {
    const byPid = indexByPid(snapshot);
    const tops: number[] = [];
    for (const pid of f.pids.slice(0, 3)) {
      const chain = ancestry(pid, byPid);
      // Show from the parent of the first cited process, so siblings and children are in view.
      const top = chain[Math.min(1, chain.length - 1)] ?? pid;
      if (!tops.includes(top)) tops.push(top);
    }
    // A top inside another top's subtree is already drawn there: `1 → 3 → 5` and `3 → 5` once.
    const drawn = tops.filter((t) => !tops.some((o) => o !== t && ancestry(t, byPid).includes(o)));
    const forest = forestText(drawn, byPid, 40);
    if (forest.length) out.push('Process tree:', '', ...fence(forest), '');
  }
  return out;
}

export function toMarkdown(a: Analysis, opts: MarkdownOptions = {}): string {
  const last = a.snapshots[a.snapshots.length - 1];
  const out: string[] = [`## ${mdEscape(opts.title ?? 'Process snapshot analysis (procscope)')}`, ''];
  if (opts.permalink) out.push(`Snapshot: <${opts.permalink}>`, '');
  const m = last?.meta ?? {};
  out.push('| | |', '|---|---|');
  const rows: [string, string | undefined][] = [
    ['Host', m.host], ['Taken', last?.takenAt ?? m.clock], ['Kernel', m.kernel ?? m.uname],
    ['CPUs', m.nCpu?.toString()], ['Load', m.load?.join(' ')],
    ['Inputs', a.ingest.inputs.map((i) => `${i.name}: ${i.sections.map((s) => `${s.format} ${s.variant}`.trim()).join(', ')}`).join('; ')],
    ['Moments', a.snapshots.length > 1 ? String(a.snapshots.length) : undefined],
  ];
  for (const [k, v] of rows) if (v) out.push(`| ${k} | ${mdEscape(v)} |`);
  out.push('');
  if (last) {
    out.push(`**Processes** ${last.counts.processes}: ${stateLine(last.counts.byState)}  `);
    out.push(last.counts.threadsShown ? `**Threads** ${last.counts.threads}: ${stateLine(last.counts.threadsByState)}` : '**Threads**: not in the input');
    out.push('');
  }
  out.push(`### Findings (${a.findings.length})`, '');
  if (a.findings.length === 0) out.push('No findings.', '');
  for (const [cause, rules] of sharedCauses(a.findings)) out.push(`One root cause (\`${cause}\`) explains ${rules.map((r) => `\`${r}\``).join(', ')}.`, '');
  for (const f of a.findings) out.push(...findingMarkdown(f, a.snapshots[f.snapshot] ?? last));
  if (a.notEvaluated.length) {
    out.push('### Not evaluated', '');
    for (const n of a.notEvaluated) out.push(`- \`${n.rule}\`: ${mdEscape(n.missing)}`);
    out.push('');
  }
  return out.join('\n');
}

export type { Process };
