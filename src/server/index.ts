// `procscope serve`: the built app plus the share store, on node:http alone. The server only
// ever sees ciphertext: the browser encrypts the redacted snapshot and keeps the key in the
// link's fragment (src/share/permalink.ts). It prints nothing; the CLI says where it listens.
//
//   POST   /api/shares          body = ciphertext, X-Expires-In-Days: 1–90 (default 30)
//                               → 201 {id, deleteToken, expiresAt}
//   GET    /api/shares/<id>     → 200 ciphertext | 404 unknown | 410 expired/deleted
//   DELETE /api/shares/<id>     Authorization: Bearer <deleteToken> → 204 | 401 | 403 | 404 | 410
//   GET    /, /s/<id>           → index.html (the app reads #s= / #k= itself)
// There is no listing endpoint: an id is the only way to a share.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShareStore, ID_RE } from './store.ts';
import { readBody, securityHeaders, sendError, sendJson } from './http.ts';
import { serveStatic } from './static.ts';

export interface ServerOptions {
  port: number;
  host?: string;
  dataDir: string;
  distDir: string;
  /** Largest share accepted, in bytes (default 5 MB). */
  maxShareBytes?: number;
  /** Clock in ms, injectable for expiry tests. */
  now?: () => number;
  /** How often expired shares are purged (default hourly). */
  purgeIntervalMs?: number;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_SHARE_BYTES = 5 * 1024 * 1024;
const MIN_DAYS = 1;
const MAX_DAYS = 90;
const DEFAULT_DAYS = 30;

function size(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}

async function createShare(req: IncomingMessage, res: ServerResponse, store: ShareStore, max: number): Promise<void> {
  const daysHeader = req.headers['x-expires-in-days'];
  let days = DEFAULT_DAYS;
  if (daysHeader !== undefined) {
    const v = Array.isArray(daysHeader) ? daysHeader[0] : daysHeader;
    if (!/^\d{1,3}$/.test(v.trim()) || Number(v) < MIN_DAYS || Number(v) > MAX_DAYS) {
      sendError(res, 400, `X-Expires-In-Days must be a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.`);
      return;
    }
    days = Number(v);
  }
  const tooLarge = () => sendError(res, 413, `This share is larger than the server's limit of ${size(max)}. Share fewer inputs, or ask the server's operator to raise the limit.`, { Connection: 'close' });
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max * 4 && declared > 64 * 1024 * 1024) {
    // Far too large to be worth draining: answer and close.
    tooLarge();
    req.destroy();
    return;
  }
  const body = await readBody(req, max);
  if (!body.ok) { tooLarge(); return; }
  if (body.data.length === 0) { sendError(res, 400, 'The share is empty: send the encrypted snapshot as the request body.'); return; }
  const created = store.create(body.data, days);
  sendJson(res, 201, { id: created.id, deleteToken: created.deleteToken, expiresAt: new Date(created.expiresAt).toISOString() },
    { Location: `/api/shares/${created.id}` });
}

function getShare(req: IncomingMessage, res: ServerResponse, store: ShareStore, id: string): void {
  const r = store.get(id);
  switch (r.status) {
    case 'missing': sendError(res, 404, 'There is no share with this id. The link may be wrong, or the share expired or was deleted long ago.'); return;
    case 'deleted': sendError(res, 410, 'This share was deleted by the person who created it.'); return;
    case 'expired': sendError(res, 410, `This share expired on ${new Date(r.expiresAt).toISOString().slice(0, 10)} and its data has been removed.`); return;
    case 'ok':
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Length', r.data.length);
      res.setHeader('X-Expires-At', new Date(r.expiresAt).toISOString());
      res.end(req.method === 'HEAD' ? undefined : r.data);
  }
}

function deleteShare(req: IncomingMessage, res: ServerResponse, store: ShareStore, id: string): void {
  const auth = req.headers.authorization ?? '';
  const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(auth.trim());
  if (!m) { sendError(res, 401, 'Deleting a share needs its delete token: Authorization: Bearer <deleteToken>.', { 'WWW-Authenticate': 'Bearer' }); return; }
  switch (store.delete(id, m[1])) {
    case 'deleted': res.statusCode = 204; res.setHeader('Cache-Control', 'no-store'); res.end(); return;
    case 'forbidden': sendError(res, 403, 'This delete token does not belong to this share.'); return;
    case 'gone': sendError(res, 410, 'This share was already deleted.'); return;
    case 'missing': sendError(res, 404, 'There is no share with this id.');
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, store: ShareStore, opts: ServerOptions): Promise<void> {
  securityHeaders(res);
  const max = opts.maxShareBytes ?? DEFAULT_MAX_SHARE_BYTES;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q >= 0 ? url.slice(0, q) : url;
  const method = req.method ?? 'GET';

  if (pathname === '/api/shares' || pathname === '/api/shares/') {
    if (method === 'POST') { await createShare(req, res, store, max); return; }
    // No listing: GET here is not a thing.
    sendError(res, 405, 'Only POST is allowed here; shares are not listed.', { Allow: 'POST' });
    return;
  }
  if (pathname.startsWith('/api/shares/')) {
    const id = pathname.slice('/api/shares/'.length);
    if (!ID_RE.test(id)) { sendError(res, 400, 'Malformed share id: an id is 22 base64url characters (128 random bits).'); return; }
    if (method === 'GET' || method === 'HEAD') { getShare(req, res, store, id); return; }
    if (method === 'DELETE') { deleteShare(req, res, store, id); return; }
    sendError(res, 405, 'Use GET to fetch a share or DELETE to remove it.', { Allow: 'GET, HEAD, DELETE' });
    return;
  }
  if (pathname.startsWith('/api/')) { sendError(res, 404, 'Unknown API path.'); return; }
  if (method !== 'GET' && method !== 'HEAD') { sendError(res, 405, 'Only GET and HEAD are allowed here.', { Allow: 'GET, HEAD' }); return; }
  await serveStatic(req, res, opts.distDir, pathname);
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const store = new ShareStore(opts.dataDir, opts.now);
  store.purge();
  const server = createServer((req, res) => {
    handle(req, res, store, opts).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'Internal error.');
      else res.destroy();
    });
  });
  server.requestTimeout = 120_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => { server.off('error', reject); resolve(); });
  });
  const timer = setInterval(() => { try { store.purge(); } catch { /* next time */ } }, opts.purgeIntervalMs ?? 60 * 60 * 1000);
  timer.unref();
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${shown}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        clearInterval(timer);
        server.close(() => { store.close(); resolve(); });
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
