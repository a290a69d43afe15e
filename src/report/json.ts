// The `procscope.analysis/1` document printed by `procscope analyze --json` (DESIGN.md contract).
// Fields may be added; the ones in DESIGN.md keep their meaning.
import type { Analysis, AnalysisJson, Evidence, Process } from '../model/index.ts';

export function toAnalysisJson(a: Analysis): AnalysisJson {
  return {
    schema: 'procscope.analysis/1',
    inputs: a.ingest.inputs.map((i) => ({ name: i.name, sections: i.sections })),
    warnings: a.ingest.warnings.map((w) => ({ input: w.input, line: w.line, message: w.message })),
    errors: a.ingest.errors,
    snapshots: a.snapshots.map((s) => ({
      takenAt: s.takenAt,
      label: s.label,
      meta: s.meta,
      roots: s.roots,
      processes: s.processes.map(processJson),
      counts: s.counts,
      conflicts: s.conflicts.map((c) => ({ pid: c.pid, tid: c.tid ?? null, field: c.field, message: c.message })),
      kernelTasks: s.kernelTasks.map((k) => ({ pid: k.pid, comm: k.comm, state: k.state, source: k.source, blockedSec: k.blockedSec ?? null, stack: k.stack })),
    })),
    findings: a.findings.map((f) => ({
      rule: f.rule, severity: f.severity, title: f.title, pids: f.pids, summary: f.summary,
      evidence: f.evidence.map(evidenceText), next: f.next,
      rootCause: f.rootCause ?? null, explains: f.explains, snapshot: f.snapshot,
    })),
    notEvaluated: a.notEvaluated,
  };
}

export function evidenceText(e: Evidence): string {
  return e.input !== undefined && e.line !== undefined ? `${e.text} (${e.input}:${e.line})` : e.text;
}

function processJson(p: Process) {
  return {
    pid: p.pid, ppid: p.ppid, state: p.state, stat: p.stat,
    user: p.user ?? null, comm: p.comm ?? null, args: p.args ?? null, wchan: p.wchan,
    threads: p.threads.map((t) => ({ tid: t.tid, state: t.state, wchan: t.wchan, ...(t.comm !== undefined ? { comm: t.comm } : {}) })),
    ...(p.pcpu !== undefined ? { pcpu: p.pcpu } : {}),
    ...(p.pmem !== undefined ? { pmem: p.pmem } : {}),
    ...(p.rssKiB !== undefined ? { rssKiB: p.rssKiB } : {}),
    ...(p.vszKiB !== undefined ? { vszKiB: p.vszKiB } : {}),
    ...(p.elapsedSec !== undefined ? { elapsedSec: p.elapsedSec } : {}),
    ...(p.startRaw !== undefined ? { start: p.startRaw } : {}),
    ...(p.tty !== undefined ? { tty: p.tty } : {}),
    ...(p.nlwp !== undefined ? { nlwp: p.nlwp } : {}),
    ...(p.hostPid !== undefined ? { hostPid: p.hostPid } : {}),
    ...(p.truncated ? { truncated: true } : {}),
    ...(p.stack !== undefined ? { stack: p.stack } : {}),
    ...(p.kernelTasks.length ? { kernelTasks: p.kernelTasks.map((k) => ({ source: k.source, blockedSec: k.blockedSec ?? null, stack: k.stack })) } : {}),
    children: p.children,
    isKernelThread: p.isKernelThread,
  };
}
