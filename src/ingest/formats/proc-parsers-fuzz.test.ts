// Untrusted input: the /proc, loadavg, kernel-log and bundle parsers never throw, always move
// forward, and only produce captures the zod schema accepts — on real lines cut, shuffled and
// mixed with junk.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormatParser } from '../types.ts';
import { bundleMeta } from './bundle-meta.ts';
import { kernelLog } from './kernel-log.ts';
import { loadavg } from './loadavg.ts';
import { procCmdline } from './proc-cmdline.ts';
import { procStack } from './proc-stack.ts';
import { procStatGlobal } from './proc-stat-global.ts';
import { procStat } from './proc-stat.ts';
import { procStatus } from './proc-status.ts';
import { procWchan } from './proc-wchan.ts';
import { runParser } from './parse-for-test.ts';

const PARSERS: FormatParser[] = [procStatus, procStat, procWchan, procStack, procCmdline, loadavg, procStatGlobal, kernelLog, bundleMeta];
const real = (p: string) => readFileSync(new URL(`../../../samples/${p}`, import.meta.url), 'utf8').split('\n');
const POOL = [
  ...real('collect-bundle-d-state/bundle.txt').slice(0, 600),
  ...real('rbd-fsck-hang/dmesg.txt').slice(0, 120),
  ...real('proc-stat/proc-pid-stat.txt'),
  ...real('proc-cmdline/proc-cmdline.txt'),
  '==> /proc/1/status <==', '==> /proc/self/stack <==', '== /proc/5', '[<0>]', 'task:', 'INFO: task :1 blocked for more than x seconds.',
  '1 (', '1 () ', ') S 1', '/proc/1/wchan:', '/proc/ 1', 'State:', 'NSpid:\t', '===== procscope dmesg =====', '===== procscope meta =====',
  'procscope-bundle 1', '$ cat /proc/1/stack', 'INFO: task a:1 is blocked on a mutex likely owned by task ', '[] ? ', ' ? +0x/0x',
];

describe('the /proc, loadavg, kernel-log and bundle parsers on mangled input', () => {
  it('never throw, always advance, and keep only schema-valid captures', () => {
    const line = fc.oneof(
      fc.constantFrom(...POOL),
      fc.constantFrom(...POOL).chain((l) => fc.nat(Math.max(0, l.length)).map((n) => l.slice(0, n))),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 60 }), fc.constantFrom('', '/proc/12/stack', 'wchan', 'status'), (lines, fileName) => {
      const text = lines.join('\n');
      for (const p of PARSERS) {
        // runParser validates every capture with Capture.parse (throws on an invalid one)
        expect(() => runParser(p, text, { fileName })).not.toThrow();
        const hint = { fileName };
        const ctx = { input: 'fuzz', hint, warn: () => {} };
        for (let i = 0; i < lines.length; i++) {
          if (p.sniff(lines, i, hint) > 0) expect(p.parse(lines, i, ctx).end).toBeGreaterThan(i);
        }
      }
    }), { numRuns: 300 });
  });
});
