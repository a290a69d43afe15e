// The CLI contract (DESIGN.md): `npx procscope analyze --json` on every sample, exit codes,
// stdin, and `collect` printing public/collect.sh. Runs the real bin through Node.
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { AnalysisJson } from '../model/index.ts';
import { main } from './main.ts';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'procscope.mjs');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

function sampleDirs(): string[] {
  const dir = path.join(ROOT, 'samples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((d) => path.join(dir, d)).filter((d) => statSync(d).isDirectory());
}
const filesOf = (d: string) => readdirSync(d).filter((f) => f !== 'README.md' && f !== 'expected.json').map((f) => path.join(d, f));

// The contract on every sample runs main() in this process (70 samples × a Node start would be
// slow on a 2-core CI machine); the exit-status tests below run the real bin.
async function runInProcess(args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: async () => '' });
  return { status, stdout, stderr };
}

describe('procscope analyze --json', () => {
  const dirs = sampleDirs();
  it('has samples to check', () => { expect(dirs.length).toBeGreaterThan(0); });
  for (const d of dirs) {
    it(`follows procscope.analysis/1 on samples/${path.basename(d)}`, async () => {
      const r = await runInProcess(['analyze', '--json', ...filesOf(d)]);
      expect(r.status, r.stderr).toBe(0);
      const doc = AnalysisJson.parse(JSON.parse(r.stdout));
      expect(doc.snapshots.length).toBeGreaterThan(0);
      const procs = doc.snapshots[doc.snapshots.length - 1].processes;
      for (const p of procs) {
        expect(p.state === null || /^[DRSTtZXIWP]$/.test(p.state)).toBe(true);
        for (const t of p.threads) expect(t.state === null || /^[DRSTtZXIWP]$/.test(t.state)).toBe(true);
      }
      for (const w of doc.warnings) expect(w.line).toBeGreaterThan(0);
    });
  }
});

describe('procscope exit status and streams', () => {
  it('reads stdin with `-`', () => {
    const text = readFileSync(path.join(ROOT, 'public', 'collect.sh'), 'utf8');
    // A shell script is in no known format: exit 2 with a message naming the input.
    const r = run(['analyze', '-'], text);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/stdin is in no known format/);
  });

  it('exits 2 naming a missing file', () => {
    const r = run(['analyze', '/nonexistent/ps.txt']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read /nonexistent/ps.txt: no such file');
  });

  it('exits 2 on an unknown --fail-on severity', () => {
    expect(run(['analyze', '--fail-on', 'urgent', 'x']).status).toBe(2);
  });

  it('--fail-on sets exit 1 only for a finding at or above the severity', () => {
    // samples/d-parent-zombies: one high finding (the D parent with 12 zombies)
    const files = filesOf(path.join(ROOT, 'samples', 'd-parent-zombies'));
    expect(run(['analyze', '--fail-on', 'high', ...files]).status).toBe(1);
    expect(run(['analyze', '--fail-on=critical', ...files]).status).toBe(0);
    expect(run(['analyze', ...files]).status).toBe(0);
  });

  it('prints findings first in text, and a postmortem section with --markdown', () => {
    const files = filesOf(path.join(ROOT, 'samples', 'd-parent-zombies'));
    const text = run(['analyze', ...files]).stdout;
    expect(text.indexOf('zombies-under-d-parent')).toBeLessThan(text.indexOf('Summary'));
    const md = run(['analyze', '--markdown', ...files]).stdout;
    expect(md).toMatch(/^## Process snapshot analysis/m);
    expect(md).toMatch(/### HIGH: postgres \(3\)/);
    expect(md).toContain('cat /proc/3/stack');
    expect(md).toMatch(/Process tree:/);
  });

  it('says when one root cause explains several findings (rbd-fsck-hang: the rbd3 device)', async () => {
    const r = await runInProcess(['analyze', ...filesOf(path.join(ROOT, 'samples', 'rbd-fsck-hang'))]);
    expect(r.stdout).toMatch(/One root cause \(device:rbd3\) explains: rbd-io-hang, .*d-state-cluster/);
  });

  it('`collect` prints public/collect.sh byte for byte', () => {
    const out = execFileSync(process.execPath, [BIN, 'collect'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toBe(readFileSync(path.join(ROOT, 'public', 'collect.sh'), 'utf8'));
  });
});
