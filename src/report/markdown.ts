// The postmortem section: capture metadata, findings with evidence and next steps, state counts,
// and the subtree around the findings as forest text. Used by `analyze --markdown` and the app.
import type { Analysis, Finding, Process, Snapshot } from '../model/index.ts';
import { ancestry, indexByPid } from '../snapshot/index.ts';
import { evidenceText } from './json.ts';
import { forestText, stateLine } from './format.ts';

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

export function findingMarkdown(f: Finding, snapshot?: Snapshot): string[] {
  const out = [`### ${f.severity.toUpperCase()}: ${mdEscape(f.title)}`, '', `Rule \`${f.rule}\` · PIDs ${f.pids.join(', ')}`, '', mdEscape(f.summary), ''];
  if (f.evidence.length) {
    out.push('Evidence:', '');
    for (const e of f.evidence) out.push(`- ${mdEscape(evidenceText(e))}`);
    out.push('');
  }
  if (f.next.length) {
    out.push('Next steps:', '', ...fence(f.next), '');
  }
  if (snapshot && f.pids.length) {
    const byPid = indexByPid(snapshot);
    const tops = new Set<number>();
    for (const pid of f.pids.slice(0, 3)) {
      const chain = ancestry(pid, byPid);
      // Show from the parent of the first cited process, so siblings and children are in view.
      tops.add(chain[Math.min(1, chain.length - 1)] ?? pid);
    }
    const forest = forestText([...tops], byPid, 40);
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
  for (const f of a.findings) out.push(...findingMarkdown(f, a.snapshots[f.snapshot] ?? last));
  if (a.notEvaluated.length) {
    out.push('### Not evaluated', '');
    for (const n of a.notEvaluated) out.push(`- \`${n.rule}\`: ${mdEscape(n.missing)}`);
    out.push('');
  }
  return out.join('\n');
}

export type { Process };
