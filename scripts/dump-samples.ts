// Writes the readable dump (pid ppid state wchan args) of each sample into its expected.json,
// keeping the reviewer's findings. Review every changed line (git diff) before committing it.
// usage: npm run samples:dump [-- case ...]
import { readdirSync, readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../src/ingest/index.ts';
import { buildSnapshots } from '../src/snapshot/index.ts';
import { dumpSnapshot } from '../src/report/dump.ts';

const root = path.resolve('samples');
const only = process.argv.slice(2);
for (const dir of readdirSync(root).sort()) {
  const d = path.join(root, dir);
  if (!statSync(d).isDirectory() || (only.length && !only.includes(dir))) continue;
  const inputs = readdirSync(d).filter((f) => f !== 'README.md' && f !== 'expected.json').sort()
    .map((f) => ({ name: f, text: readFileSync(path.join(d, f), 'utf8') }));
  const result = ingest(inputs);
  const snaps = buildSnapshots(result);
  const file = path.join(d, 'expected.json');
  const expected = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { situation: '', findings: [], quiet: [] };
  expected.dump = snaps.length ? dumpSnapshot(snaps[snaps.length - 1]) : [];
  writeFileSync(file, JSON.stringify(expected, null, 2) + '\n');
  console.log(`${dir}: ${expected.dump.length} lines, ${result.warnings.length} warnings, ${result.errors.length} errors`);
}
