import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rule } from './ppid-zero-in-namespace.ts';
import { editLine, runRule, sampleInputs, withFile } from './test-helpers.ts';

describe('ppid-zero-in-namespace (P17)', () => {
  it('reports shells entered with nsenter as INFO, not orphans', () => {
    const { findings } = runRule(rule, sampleInputs('ppid-zero-namespace'));
    expect(findings).toHaveLength(1);
    const f = findings[0];
    expect(f.severity).toBe('info');
    expect(f.pids).toEqual([2, 4]);
    expect(f.title).toMatch(/not orphans/);
    expect(f.evidence.find((e) => e.pid === 2)?.line).toBeGreaterThan(0);
  });

  it('names the host PID when the host /proc status mapped it (NSpid)', () => {
    const { findings } = runRule(rule, sampleInputs('ppid-zero-namespace'));
    const ev = findings[0].evidence.find((e) => e.pid === 2)!;
    expect(ev.text).toContain('host PID 16593');
  });

  it('stays quiet on a host: PID 1 and kthreadd have PPID 0, services PPID 1, kernel threads PPID 2', () => {
    expect(runRule(rule, sampleInputs('baseline-quiet-host')).findings).toEqual([]);
    expect(runRule(rule, sampleInputs('baseline-busy-host')).findings).toEqual([]);
  });

  it('stays quiet on kthreadd and its children seen through busybox on a host', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '__fixtures__', 'busybox-kthreads', 'busybox-ps-o.txt'), 'utf8');
    expect(text).toMatch(/^\s*2\s+0\s/m);
    expect(runRule(rule, [{ name: 'busybox-ps-o.txt', text }]).findings).toEqual([]);
  });

  it('stays quiet when only the namespace init has PPID 0', () => {
    expect(runRule(rule, sampleInputs('container-init-zombies')).findings).toEqual([]);
  });

  it('leaves out the capture\'s own ps exec\'d into the namespace', () => {
    const inputs = sampleInputs('ppid-zero-namespace');
    // `kubectl exec pod -- ps …` shows ps itself with PPID 0.
    const text = editLine(inputs.find((i) => i.name === 'ps-o-wchan.txt')!.text, (l) => /^\s+13\s+4\s/.test(l), (l) => l.replace(/^(\s+13)(\s+)4(\s)/, '$1$20$3'));
    const { findings } = runRule(rule, withFile(inputs, 'ps-o-wchan.txt', text));
    expect(findings[0].pids).toEqual([2, 4]);
  });

  it('says what to capture when no PPID column is there', () => {
    expect(runRule(rule, sampleInputs('ps-aux')).missing).toMatch(/no parent PIDs/);
  });
});
