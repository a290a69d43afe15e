// `npm run bench` (share part): the share server's create and fetch throughput for a 100 KB share
// on localhost (autocannon against a server in its own Node process, real SQLite file with
// synchronous=FULL), and the link size of every sample after default redaction.
// Run alone: node bin/run-ts.mjs bench/run.ts share
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactInputs } from '../src/share/redact.ts';
import { COMFORTABLE_LINK_BYTES, encodePermalink, encryptForServer } from '../src/share/permalink.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARE_BYTES = 100 * 1024;
const DURATION_S = Number(process.env.BENCH_SHARE_SECONDS ?? 8);
const CONNECTIONS = 10;

interface Histogram { average: number; p50: number; p99: number; max: number }
interface CannonResult {
  requests: Histogram & { total: number };
  latency: Histogram;
  throughput: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

// Child mode: `bench/share.ts --serve DIR` starts the server and prints its URL.
if (process.argv[2] === '--serve') {
  const { startServer } = await import('../src/server/index.ts');
  const s = await startServer({ port: 0, dataDir: process.argv[3], distDir: path.join(ROOT, 'dist'), maxShareBytes: 5 * 1024 * 1024 });
  process.stdout.write(`${s.url}\n`);
  process.on('SIGTERM', () => { void s.close().then(() => process.exit(0)); });
}

function startChild(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run-ts.mjs'), fileURLToPath(import.meta.url), '--serve', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/\S+)\n/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
}

/** Share bytes moved per second: request bodies for create, response bodies for fetch. */
function fmtLine(what: string, r: CannonResult, bytesPerSec: number): string {
  return `| ${what} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} | ${r.latency.p99} | ${(bytesPerSec / 1024 / 1024).toFixed(1)} | ${r.requests.total.toLocaleString('en')} | ${r.non2xx + r.errors + r.timeouts} |`;
}

async function serverThroughput(): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'procscope-bench-share-'));
  const { url, child } = await startChild(dataDir);
  try {
    // Ciphertext is incompressible and random: so is this body.
    const body = randomBytes(SHARE_BYTES);
    const headers = { 'content-type': 'application/octet-stream', 'x-expires-in-days': '1' };
    await autocannon({ url: `${url}/api/shares`, method: 'POST', body, headers, connections: 2, duration: 1 }); // warm-up
    const create = await autocannon({ url: `${url}/api/shares`, method: 'POST', body, headers, connections: CONNECTIONS, duration: DURATION_S });
    const made = await fetch(`${url}/api/shares`, { method: 'POST', body, headers });
    const { id } = (await made.json()) as { id: string };
    const get = await autocannon({ url: `${url}/api/shares/${id}`, method: 'GET', connections: CONNECTIONS, duration: DURATION_S });
    return [
      `### Share server (${SHARE_BYTES / 1024} KB ciphertext, ${CONNECTIONS} connections, ${DURATION_S} s each, localhost, SQLite WAL synchronous=FULL, Node ${process.version})`,
      '',
      '| operation | req/s | p50 ms | p99 ms | share MB/s | requests | errors/non-2xx |',
      '|---|---:|---:|---:|---:|---:|---:|',
      fmtLine('create `POST /api/shares`', create, create.requests.average * SHARE_BYTES),
      fmtLine('fetch `GET /api/shares/<id>`', get, get.throughput.average),
      '',
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function linkSizes(): Promise<string[]> {
  const samples = path.join(ROOT, 'samples');
  const out = [
    `### Share link size per sample (default redaction; comfortable ≤ ${COMFORTABLE_LINK_BYTES / 1024} KB)`,
    '',
    '| sample | inputs KB | changes | link KB | comfortable | server ciphertext KB | redact + encode ms |',
    '|---|---:|---:|---:|:---:|---:|---:|',
  ];
  if (!existsSync(samples)) return [...out, '(no samples)', ''];
  for (const c of readdirSync(samples).sort()) {
    const dir = path.join(samples, c);
    if (!existsSync(path.join(dir, 'expected.json'))) continue;
    const inputs = readdirSync(dir).filter((n) => n !== 'README.md' && n !== 'expected.json').sort()
      .map((n) => ({ name: n, text: readFileSync(path.join(dir, n), 'utf8') }));
    const raw = inputs.reduce((a, i) => a + Buffer.byteLength(i.text), 0);
    const t0 = performance.now();
    const r = redactInputs(inputs);
    const payload = { v: 1 as const, inputs: r.inputs, view: { view: 'tree' }, redacted: ['secrets', 'hosts', 'ips', 'users'] as ('secrets' | 'hosts' | 'ips' | 'users')[] };
    const link = encodePermalink(payload);
    const ms = performance.now() - t0;
    const enc = await encryptForServer(payload);
    out.push(`| ${c} | ${(raw / 1024).toFixed(1)} | ${r.changes.length} | ${(link.bytes / 1024).toFixed(1)} | ${link.comfortable ? 'yes' : 'no'} | ${(enc.ciphertext.length / 1024).toFixed(1)} | ${ms.toFixed(1)} |`);
  }
  out.push('');
  return out;
}

export async function benchShare(): Promise<string> {
  return [...(await serverThroughput()), ...(await linkSizes())].join('\n');
}
