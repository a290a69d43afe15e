// The built app (vite build → dist/). Vite builds with `base: './'`, so index.html served at
// `/s/<id>` asks for `/s/assets/index-….js`: a request under `/s/` with a slash in the rest is
// the same file at the root.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.sh': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** Maps a URL path to a file path under distDir, or null when it would leave it. */
export function resolveStatic(distDir: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  if (p === '/' || p === '' || /^\/s\/[^/]*$/.test(p)) p = '/index.html';
  else if (p.startsWith('/s/')) p = p.slice(2);
  const root = path.resolve(distDir);
  const file = path.resolve(root, `.${p}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, distDir: string, urlPath: string): Promise<void> {
  const file = resolveStatic(distDir, urlPath);
  if (!file) { sendText(res, 400, 'Bad path\n'); return; }
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    if (file.endsWith(`${path.sep}index.html`)) {
      sendText(res, 503, 'The procscope app is not built here: run `npm run build` (or `npm start`, which builds it).\n');
    } else {
      sendText(res, 404, 'Not found\n');
    }
    return;
  }
  const ext = path.extname(file).toLowerCase();
  res.statusCode = 200;
  res.setHeader('Content-Type', TYPES[ext] ?? 'application/octet-stream');
  res.setHeader('Content-Length', size);
  // Vite names assets by content hash: cache them forever; index.html must be revalidated.
  const rel = path.relative(path.resolve(distDir), file);
  res.setHeader('Cache-Control', rel.startsWith(`assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.method === 'HEAD') { res.end(); return; }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => { res.destroy(); resolve(); });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}
