import { describe, expect, it } from 'vitest';
import { rule } from './stopped-process.ts';
import { editLine, runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('stopped-process (P18)', () => {
  it('reports a SIGSTOPped daemon HIGH, the daemon first, with the stopped strace beside it', () => {
    const { findings } = runRule(rule, sampleInputs('stopped-and-traced'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('high');
    expect(f.pids).toEqual([3, 6]);
    expect(f.title).toContain('rsyslogd (3)');
    // The stopped strace is the tracer of redis-server 4: said where it explains something.
    expect(f.evidence.some((e) => e.text.includes('redis-server (4) is traced by strace (6)'))).toBe(true);
    expect(f.evidence.find((e) => e.pid === 3)?.input).toBeDefined();
    expect(f.next).toContain("grep -E 'State|TracerPid|SigQ' /proc/3/status");
    expect(f.next.some((n) => n.startsWith('kill -CONT 3 6'))).toBe(true);
  });

  it('reports a stopped plain process without a terminal as MEDIUM', () => {
    const { findings } = runRule(rule, sampleInputs('ps-aux'));
    expect(findings.map((f) => [f.severity, f.pids])).toEqual([['medium', [22]]]);
  });

  it('keeps job control (T+ on a tty) apart and LOW, below a stopped service', () => {
    // The fixture's foreground `sleep 100008` on pts/0, as if suspended with Ctrl-Z in its shell.
    const inputs = sampleInputs('ps-aux');
    const text = editLine(inputs[0].text, (l) => /\s32\s.*pts\/0\s+S\+/.test(l), (l) => l.replace('S+  ', 'T+  '));
    const { findings } = runRule(rule, withFile(inputs, inputs[0].name, text));
    const job = findings.find((f) => f.pids.includes(32));
    expect(job?.severity).toBe('low');
    expect(job?.title).toContain('pts/0');
    expect(job?.pids).toEqual([32]);
    expect(findings.find((f) => f.pids.includes(22))?.severity).toBe('medium');
  });

  it('leaves a T process with a tracer to traced-process', () => {
    const inputs = sampleInputs('stopped-and-traced');
    // redis-server 4 printed as T (as kernels before 2.6.33 print ptrace stops) keeps TracerPid 6.
    const text = editLine(inputs.find((i) => i.name === 'ps-aux.txt')!.text, (l) => /^root\s+4\s/.test(l), (l) => l.replace(' t    ', ' T    '));
    const { findings } = runRule(rule, withFile(inputs, 'ps-aux.txt', text));
    expect(findings.flatMap((f) => f.pids)).not.toContain(4);
  });

  it('stays quiet on a quiet host and on the capture tools', () => {
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings).toEqual([]);
  });

  it('says what to capture when no input has states', () => {
    const r = runRule(rule, sampleInputs('pstree-p'));
    expect(r.missing).toMatch(/ps -eo pid,ppid,stat/);
  });
});
