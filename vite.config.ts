import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The sample gallery: samples/<case>/ files are copied into the build as static files
 * (dist/samples/<case>/<file>) with dist/samples/index.json listing them, and served the same way
 * by the dev server. They are never inlined into the JS bundle.
 */
function samplesPlugin(): Plugin {
  const dir = path.join(root, 'samples');
  const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
  const NOT_INPUT = new Set(['README.md', 'expected.json']);
  const MAX_BYTES = 8 * 1024 * 1024;

  interface Case { id: string; about: string; files: { name: string; bytes: number }[]; rules: string[] }
  const scan = (): { cases: Case[]; files: { url: string; abs: string }[] } => {
    const cases: Case[] = [];
    const files: { url: string; abs: string }[] = [];
    if (!existsSync(dir)) return { cases, files };
    for (const id of readdirSync(dir).sort()) {
      const caseDir = path.join(dir, id);
      if (!SAFE.test(id) || !statSync(caseDir).isDirectory()) continue;
      const names = readdirSync(caseDir).filter((n) => SAFE.test(n) && statSync(path.join(caseDir, n)).isFile()).sort();
      const inputs = names.filter((n) => !NOT_INPUT.has(n) && statSync(path.join(caseDir, n)).size <= MAX_BYTES);
      if (inputs.length === 0) continue;
      let about = '';
      if (names.includes('README.md')) {
        const readme = readFileSync(path.join(caseDir, 'README.md'), 'utf8');
        about = readme.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? '';
        if (about.length > 300) about = `${about.slice(0, 297)}…`;
      }
      let rules: string[] = [];
      if (names.includes('expected.json')) {
        try {
          const ex = JSON.parse(readFileSync(path.join(caseDir, 'expected.json'), 'utf8')) as { findings?: { rule?: unknown }[] };
          rules = [...new Set((ex.findings ?? []).map((f) => f.rule).filter((r): r is string => typeof r === 'string'))];
        } catch { /* a broken expected.json is the samples' test's business, not the gallery's */ }
      }
      cases.push({ id, about, rules, files: inputs.map((n) => ({ name: n, bytes: statSync(path.join(caseDir, n)).size })) });
      for (const n of inputs) files.push({ url: `samples/${id}/${n}`, abs: path.join(caseDir, n) });
    }
    return { cases, files };
  };

  return {
    name: 'procscope-samples',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        if (!url.startsWith('/samples/')) return next();
        const { cases, files } = scan();
        if (url === '/samples/index.json') {
          res.setHeader('Content-Type', 'application/json');
          res.end(JSON.stringify({ cases }));
          return;
        }
        const hit = files.find((f) => `/${f.url}` === decodeURIComponent(url));
        if (!hit) return next();
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(readFileSync(hit.abs));
      });
    },
    generateBundle() {
      const { cases, files } = scan();
      for (const f of files) this.emitFile({ type: 'asset', fileName: f.url, source: readFileSync(f.abs) });
      this.emitFile({ type: 'asset', fileName: 'samples/index.json', source: JSON.stringify({ cases }) });
    },
  };
}

export default defineConfig({
  plugins: [react(), samplesPlugin()],
  base: './',
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
