// public/collect.sh, run for real on this machine, read back by ingest(): every section of the
// bundle must become a capture. Skipped where there is no Linux /proc or no `timeout`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingest } from '../index.ts';
import { BUNDLE_MARKER } from '../boundaries.ts';

const SCRIPT = fileURLToPath(new URL('../../../public/collect.sh', import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../../samples/collect-bundle-d-state/bundle.txt', import.meta.url));
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const canRun = existsSync('/proc/self/stat') && has('timeout') && has('ps');

/** Section name → [first body line, last body line] (1-based), for sections with a body. */
function sections(text: string): Map<string, [number, number]> {
  const lines = text.split('\n');
  const out = new Map<string, [number, number]>();
  let name: string | undefined;
  let first = 0;
  const close = (end: number) => {
    if (name === undefined) return;
    let last = end;
    while (last >= first && lines[last - 1].trim() === '') last--;
    if (last >= first) out.set(name, [first, last]);
  };
  lines.forEach((line, i) => {
    const m = BUNDLE_MARKER.exec(line);
    if (!m) return;
    close(i);
    name = m[1];
    first = i + 2;
  });
  close(lines.length);
  return out;
}

function expectEverySectionRead(text: string) {
  const result = ingest([{ name: 'bundle.txt', text }]);
  expect(result.errors).toEqual([]);
  const secs = sections(text);
  for (const [name, [first, last]] of secs) {
    const inside = result.captures.filter((c) => c.firstLine >= first && c.firstLine <= last);
    expect(inside.length, `section ${name} (lines ${first}–${last}) became no capture`).toBeGreaterThan(0);
  }
  return { result, secs };
}

function run(shell: string) {
  const t0 = Date.now();
  const r = spawnSync(shell === 'busybox' ? 'busybox' : shell, shell === 'busybox' ? ['sh', SCRIPT] : [SCRIPT], {
    encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20,
  });
  return { ...r, seconds: (Date.now() - t0) / 1000 };
}

describe('public/collect.sh', () => {
  it('never reads /proc/PID/cmdline or environ itself (ps may, bounded)', () => {
    const code = readFileSync(SCRIPT, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));
    expect(code.filter((l) => /cmdline|environ/.test(l))).toEqual([]);
  });

  it('bounds every external read with timeout or a bounded background job', () => {
    const code = readFileSync(SCRIPT, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l));
    // every `cat`/`ps`/`dmesg`/`journalctl` of /proc or the kernel log runs under `timeout`
    const unbounded = code.filter((l) => /(?:^|[;|&(]\s*|\s)(?:ps|dmesg|journalctl|cat) +(?:-|\/proc)/.test(l) && !/timeout -k 1/.test(l));
    expect(unbounded).toEqual([]);
  });

  it.skipIf(!canRun)('runs here in seconds and ingest() reads every section of its bundle (sh)', () => {
    const r = run('sh');
    expect(r.status).toBe(0);
    expect(r.seconds).toBeLessThan(30);
    expect(r.stdout.split('\n', 1)[0]).toBe('procscope-bundle 1');
    const { result, secs } = expectEverySectionRead(r.stdout);
    for (const s of ['meta', 'loadavg', 'stat', 'ps', 'threads', 'procstat', 'status', 'stacks', 'dmesg', 'mounts']) {
      expect(secs.has(s), `section ${s}`).toBe(true);
    }
    const meta = result.captures.find((c) => c.format === 'bundle-meta' && c.variant === 'meta')!.meta;
    expect(meta.pidMax).toBe(Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')));
    expect(meta.notes?.collector).toBe('procscope-collect 1');
    // PID 1 is always in the status section
    expect(result.captures.some((c) => c.format === 'proc-status' && c.rows.some((row) => row.pid === 1))).toBe(true);
  });

  for (const shell of ['dash', 'busybox']) {
    it.skipIf(!canRun || !has(shell))(`runs under ${shell === 'busybox' ? 'busybox sh' : shell} with the same sections`, () => {
      const r = run(shell);
      expect(r.status).toBe(0);
      expect(r.seconds).toBeLessThan(30);
      expectEverySectionRead(r.stdout);
    });
  }

  it.skipIf(!existsSync(SAMPLE))('reads the saved real bundle (taken with tasks in D) section by section', () => {
    const text = readFileSync(SAMPLE, 'utf8');
    const { result } = expectEverySectionRead(text);
    const stacks = result.captures.filter((c) => c.format === 'proc-stack').flatMap((c) => c.rows);
    const status = result.captures.filter((c) => c.format === 'proc-status').flatMap((c) => c.rows);
    expect(stacks.length).toBeGreaterThan(0);
    // every thread with a stack in the bundle was in D when the status section was read
    for (const s of stacks) {
      expect(status.some((r) => r.pid === s.pid && (r.tid === undefined || r.tid === s.tid))).toBe(true);
    }
    expect(status.some((r) => r.state === 'D')).toBe(true);
  });
});
