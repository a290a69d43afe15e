// Response helpers and the security headers every response carries.
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * No inline script or style anywhere: Vite's built index.html loads its entry with
 * `<script type="module" src="./assets/…">` and `<link rel="stylesheet">`; React's `style={…}`
 * goes through CSSOM, which style-src does not restrict (e2e/share.spec.ts walks every view
 * and fails on a violation). Workers may come from blob: URLs; the favicon and exports are
 * data:/blob: images.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "worker-src 'self' blob:",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error }, headers);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export type Body = { ok: true; data: Buffer } | { ok: false; tooLarge: true; received: number };

/**
 * Reads a request body up to `max` bytes. Past it, keeps reading and discarding (up to a hard
 * cap) so the client gets to read our 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Body> {
  const drainCap = Math.max(max * 4, 64 * 1024 * 1024);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > max) over = true;
      if (over) {
        chunks.length = 0;
        if (received > drainCap) { req.destroy(); resolve({ ok: false, tooLarge: true, received }); }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? { ok: false, tooLarge: true, received } : { ok: true, data: Buffer.concat(chunks, received) }));
    req.on('error', reject);
  });
}
