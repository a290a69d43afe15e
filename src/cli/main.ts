// The `procscope` command (DESIGN.md CLI contract):
//   procscope analyze [--json | --markdown] [--fail-on SEVERITY] FILE...   ('-' reads stdin)
//   procscope collect
//   procscope serve [--port N] [--data DIR]
// Exit status: 0 analysed; 1 a finding at or above --fail-on; 2 nothing usable.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../analyze.ts';
import { SEVERITIES, severityRank, type Input, type Severity } from '../model/index.ts';
import { toAnalysisJson } from '../report/json.ts';
import { toMarkdown } from '../report/markdown.ts';
import { toText } from '../report/text.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const USAGE = `usage:
  procscope analyze [--json | --markdown] [--fail-on SEVERITY] FILE...   read captures ('-' = stdin)
  procscope collect                                                      print collect.sh (run it on the sick host)
  procscope serve [--port N] [--data DIR]                                serve the app and the share store

All FILEs given to one analyze are parts of one capture (e.g. ps output + /proc dump + dmesg).
SEVERITY: ${SEVERITIES.join(', ')}. Exit: 0 analysed, 1 a finding at or above --fail-on, 2 nothing usable.`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => Promise<string>;
}

const defaultIo: Io = {
  stdout: (s) => { process.stdout.write(s); },
  stderr: (s) => { process.stderr.write(s); },
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'analyze': return analyzeCmd(rest, io);
    case 'collect': io.stdout(await readFile(path.join(ROOT, 'public', 'collect.sh'), 'utf8')); return 0;
    case 'serve': return serveCmd(rest, io);
    case '-h': case '--help': case 'help': io.stdout(USAGE + '\n'); return 0;
    default:
      io.stderr(`${cmd ? `unknown command: ${cmd}\n` : ''}${USAGE}\n`);
      return 2;
  }
}

async function analyzeCmd(args: string[], io: Io): Promise<number> {
  let mode: 'text' | 'json' | 'markdown' = 'text';
  let failOn: Severity | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') mode = 'json';
    else if (a === '--markdown' || a === '--md') mode = 'markdown';
    else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!SEVERITIES.includes(v as Severity)) { io.stderr(`--fail-on takes one of ${SEVERITIES.join(', ')}, not "${v ?? ''}"\n`); return 2; }
      failOn = v as Severity;
    } else if (a === '-' || !a.startsWith('-')) files.push(a);
    else { io.stderr(`unknown option: ${a}\n${USAGE}\n`); return 2; }
  }
  if (files.length === 0) { io.stderr(`analyze needs at least one FILE ('-' for stdin)\n${USAGE}\n`); return 2; }

  const inputs: Input[] = [];
  for (const f of files) {
    try {
      inputs.push({ name: f === '-' ? 'stdin' : f, text: f === '-' ? await io.readStdin() : await readFile(f, 'utf8') });
    } catch (err) {
      io.stderr(`procscope: cannot read ${f}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}\n`);
      return 2;
    }
  }
  const analysis = analyze(inputs);
  for (const e of analysis.ingest.errors) io.stderr(`procscope: ${e.message}\n`);
  if (analysis.ingest.captures.length === 0) return 2;

  if (mode === 'json') io.stdout(JSON.stringify(toAnalysisJson(analysis), null, 2) + '\n');
  else if (mode === 'markdown') io.stdout(toMarkdown(analysis) + '\n');
  else io.stdout(toText(analysis));

  if (failOn && analysis.findings.some((f) => severityRank(f.severity) >= severityRank(failOn!))) return 1;
  return 0;
}

async function serveCmd(args: string[], io: Io): Promise<number> {
  let port = Number(process.env.PORT ?? 8080);
  let dataDir = path.join(ROOT, '.procscope-data');
  let buildIfNeeded = false;
  let host = '127.0.0.1';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port') port = Number(args[++i]);
    else if (a === '--data') dataDir = path.resolve(args[++i]);
    else if (a === '--host') host = args[++i];
    else if (a === '--build-if-needed') buildIfNeeded = true;
    else { io.stderr(`unknown option: ${a}\n${USAGE}\n`); return 2; }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) { io.stderr('--port takes a number 0–65535\n'); return 2; }
  const distDir = path.join(ROOT, 'dist');
  const { ensureBuilt } = await import('./build.ts');
  const built = await ensureBuilt(ROOT, distDir, buildIfNeeded, io);
  if (!built) return 2;
  const { startServer } = await import('../server/index.ts');
  const server = await startServer({ port, host, dataDir, distDir });
  io.stdout(`procscope is serving ${server.url} (shares stored in ${dataDir}; Ctrl+C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => { void server.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
