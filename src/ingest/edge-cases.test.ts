// formats.md §6, all 22 edge cases, each named and proved on real samples (samples/<case>/).
// The parsers' own tests cover each case in depth; this file is the index a reviewer reads.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ingest } from './index.ts';
import { buildSnapshots } from '../snapshot/index.ts';
import type { Process, Snapshot } from '../model/index.ts';

const SAMPLES = path.resolve(__dirname, '..', '..', 'samples');
const load = (d: string) => readdirSync(path.join(SAMPLES, d)).filter((f) => f !== 'README.md' && f !== 'expected.json').sort()
  .map((f) => ({ name: f, text: readFileSync(path.join(SAMPLES, d, f), 'utf8') }));
const snaps = (d: string): Snapshot[] => buildSnapshots(ingest(load(d)));
const last = (d: string): Snapshot => { const s = snaps(d); return s[s.length - 1]; };
const proc = (d: string, pid: number): Process => {
  const p = last(d).processes.find((x) => x.pid === pid);
  if (!p) throw new Error(`no PID ${pid} in ${d}`);
  return p;
};

describe('formats.md §6 edge cases', () => {
  it('§6.1 header anywhere, several snapshots per paste: top -b -n3 is three moments; a transcript with prompts parses', () => {
    expect(snaps('top-b-n3')).toHaveLength(3);
    expect(ingest(load('paste-mangled')).captures.map((c) => c.format)).toEqual(['ps', 'top']);
  });

  it('§6.2 header spacing varies with pid_max: `USER       PID` (host) and `USER         PID` (namespace) both read by token order', () => {
    expect(readFileSync(path.join(SAMPLES, 'ps-aux-host-thousands/ps-aux.txt'), 'utf8')).toMatch(/^USER {7}PID/);
    expect(readFileSync(path.join(SAMPLES, 'ps-aux/ps-aux.txt'), 'utf8')).toMatch(/^USER {9}PID/);
    expect(last('ps-aux-host-thousands').counts.processes).toBeGreaterThan(3000);
    expect(proc('ps-aux', 5).state).toBe('D');
  });

  it('§6.3 a last column with spaces and `--`: `perl -e sleep 100007 -- arg with spaces tab?here new line`', () => {
    expect(proc('ps-aux', 20).args).toBe('perl -e sleep 100007 -- arg with spaces tab?here new line');
  });

  it('§6.4 non-last columns with spaces: lstart (5 tokens) mid-line in the sos layout, comm `a) (b c) R 1 2`', () => {
    const p = proc('ps-o-sos', 5);
    expect(p.startRaw).toBe('Thu Nov 26 18:38:28 2026');
    expect(p.startIso).toBe('2026-11-26T18:38:28');
    expect(p.args).toBe('/tmp/kit-s1/vfork_dparent 5 /tmp/kit-s1/vf.pids 3600');
    expect(proc('ps-o-comm-middle', 4).comm).toBe('a) (b c) R 1 2');
  });

  it('§6.5 duplicate and ambiguous headers: `COMMAND COMMAND CMD CMD` told apart as comm and args', () => {
    const p = proc('ps-o-dup-headers', 4);
    expect(p.comm).toBe('a) (b c) R 1 2');
    expect(p.args).toBe('/tmp/kit-s1/fix weird');
  });

  it('§6.6 forest art stripped, parentage from PPID (children of PID 1 drawn at depth 0)', () => {
    const p = proc('ps-ef-forest', 7);
    expect(p.args).toBe('[vfork_dparent] <defunct>');
    expect(p.ppid).toBe(5);
    expect(p.depth).toBe(2);
  });

  it('§6.7 thread rows: `ps auxm` (PID `-`, process STAT `-`) gives the state from the main thread; -L shows per-thread wchan', () => {
    const m = proc('ps-auxm', 2);
    expect(m.state).toBe('S');
    expect(m.threads.map((t) => t.tid)).toEqual([-2, -1, 2]); // no TID column: placeholders after the main thread
    expect(proc('ps-L', 2).threads.map((t) => t.comm)).toEqual(['fix', 'worker 1', 'worker 2 (io)']);
  });

  it('§6.8 `[kthread]` names versus zombies `[comm] <defunct>` and busybox zombies `[comm]` alone', () => {
    expect(proc('ps-aux-host-thousands', 3).isKernelThread).toBe(true);
    const z = proc('ps-aux', 7);
    expect([z.state, z.isKernelThread]).toEqual(['Z', false]);
    expect(proc('busybox-ps-o', 7).state).toBe('Z');
  });

  it('§6.9 busybox `{comm} args` and pstree `{thread}(tid)`', () => {
    const b = proc('busybox-ps', 4);
    expect([b.comm, b.args]).toEqual(['a) (b c) R 1 2', '/tmp/kit-s1/fix weird']);
    expect(proc('pstree-p', 2).threads.map((t) => t.tid)).toEqual([8, 9]);
  });

  it('§6.10 truncated users kept as printed: `averyve+` (procps), `averyver` (busybox)', () => {
    expect(proc('ps-aux', 23).user).toBe('averyve+');
    expect(proc('busybox-ps', 23).user).toBe('averyver');
  });

  it('§6.11 commands cut at the terminal width are flagged possibly truncated (COLUMNS=80 ps aux, top `+`)', () => {
    expect(last('ps-auxww-80col').processes.filter((p) => p.truncated).length).toBeGreaterThan(5);
    expect(last('ps-aux').processes.filter((p) => p.truncated)).toEqual([]);
    expect(last('top-80col').processes.some((p) => p.truncated)).toBe(true);
  });

  it('§6.12 TIME and ELAPSED forms become seconds', () => {
    const p = proc('ps-o-times', 2);
    expect(p.elapsedSec).toBe(67);
    expect(p.cpuTimeSec).toBe(0);
  });

  it('§6.13 START relative to an unknown date (`18:38`) is kept as printed, never turned into a date', () => {
    const p = proc('ps-aux', 5);
    expect(p.startRaw).toBe('18:38');
    expect(p.startIso).toBeUndefined();
  });

  it('§6.14 NI `-` for a SCHED_FIFO process is unknown, not zero; PRI kept as printed', () => {
    const p = proc('ps-el', 15);
    expect(p.nice).toBeUndefined();
    expect(p.pri).toBe('49');
  });

  it('§6.15 `-` placeholders and busybox scaled sizes (`18m` → KiB)', () => {
    const p = proc('busybox-ps-o', 2);
    expect(p.vszKiB).toBe(18432);
    expect(proc('ps-o-wchan', 7).wchan).toBeNull();
  });

  it('§6.16 pstree -a `\\011`/`\\012` escapes decoded; CRLF and ANSI of a real transcript removed', () => {
    expect(proc('pstree-ap', 20).args).toBe('perl -e sleep 100007 -- arg with spaces tab\there new\nline');
    expect(last('paste-mangled').processes.find((p) => p.pid === 1)?.args).toBe('bash /tmp/kit-s1/fixture.sh');
  });

  it('§6.17 PPID 0 for a non-init process in a namespace is a root, and NSpid maps it to its host PID', () => {
    expect(last('ps-ef').roots).toContain(48);
    const ns = proc('ppid-zero-namespace', 2);
    expect([ns.ppid, ns.hostPid]).toEqual([0, 16593]);
  });

  it('§6.18 /proc/PID/stat comm with `) ` is cut at the last `)`: `4 (a) (b c) R 1 2) S 1 …`', () => {
    const p = proc('proc-stat', 4);
    expect([p.comm, p.state, p.ppid]).toEqual(['a) (b c) R 1 2', 'S', 1]);
  });

  it('§6.19 bulk dumps: `==>` blocks, `grep` path prefixes and the wchan loop give the same tasks', () => {
    const pids = (d: string) => last(d).processes.map((p) => p.pid).filter((pid) => pid < 50);
    expect(pids('proc-status-grep')).toEqual(pids('proc-status-bulk'));
    expect(proc('proc-status-bulk', 5).state).toBe('D');
    expect(proc('proc-wchan-grep', 5).wchan).toBe(proc('proc-wchan-loop', 5).wchan);
  });

  it('§6.20 every hung-task / SysRq-w task-line layout yields a kernel task (samples/dmesg-formats)', () => {
    // (dmesg-hung-task-suppressed.txt holds only the "Future hung task reports are suppressed" line)
    for (const input of load('dmesg-formats').filter((f) => !f.name.includes('suppressed'))) {
      const r = ingest([input]);
      expect(r.captures.flatMap((c) => c.kernelTasks).length, input.name).toBeGreaterThan(0);
    }
  });

  it('§6.21 log prefixes stripped: `[  340.765154] INFO: task …` joins the process it names', () => {
    const dd = proc('d-cluster-fuse', 27107);
    expect(dd.kernelTasks[0].text[0]).toMatch(/^INFO: task dd:27107 blocked for more than/);
  });

  it('§6.22 semantics: top before 4.0.5 counts D inside `sleeping`; procs_blocked is not the D count', () => {
    const s = last('top-b-n1');
    expect(s.meta.topTasks?.dsleep).toBeUndefined();
    expect(s.counts.byState.D).toBe(1);
    expect(last('proc-stat-global').meta.procsBlocked).toBe(6);
    expect(last('proc-stat-global').counts.byState.D).toBeUndefined();
  });
});
