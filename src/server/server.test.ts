// The share server over real HTTP against a real SQLite file in a temp dir.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startServer, type RunningServer, type ServerOptions } from './index.ts';
import { CSP } from './http.ts';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
let dataDir: string;
let distDir: string;
let clock: number;
const servers: RunningServer[] = [];

async function start(extra: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const s = await startServer({ port: 0, dataDir, distDir, now: () => clock, ...extra });
  servers.push(s);
  return s;
}

async function post(s: RunningServer, body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  const r = await fetch(`${s.url}/api/shares`, { method: 'POST', body, headers: { 'Content-Type': 'application/octet-stream', ...headers } });
  return { status: r.status, json: await r.json() as { id: string; deleteToken: string; expiresAt: string; error?: string }, headers: r.headers };
}

const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'procscope-server-'));
  dataDir = path.join(dir, 'data');
  distDir = path.join(dir, 'dist');
  await mkdir(path.join(distDir, 'assets'), { recursive: true });
  await writeFile(path.join(distDir, 'index.html'), '<!doctype html><script type="module" src="./assets/app.js"></script>');
  await writeFile(path.join(distDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'outside dist');
  clock = Date.UTC(2025, 0, 1);
});

afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
  await rm(dir, { recursive: true, force: true });
});

describe('share API', () => {
  it('stores ciphertext and gives it back byte for byte, with a 128-bit id and a 30-day default expiry', async () => {
    const s = await start();
    const body = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 255);
    const c = await post(s, body);
    expect(c.status).toBe(201);
    expect(c.json.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(c.json.deleteToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(c.json.expiresAt)).toBe(clock + 30 * DAY);
    const g = await fetch(`${s.url}/api/shares/${c.json.id}`);
    expect(g.status).toBe(200);
    expect(g.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await g.arrayBuffer())).toEqual(body);
  });

  it('takes the expiry from X-Expires-In-Days (1–90) and refuses anything else', async () => {
    const s = await start();
    expect(Date.parse((await post(s, bytes(10), { 'X-Expires-In-Days': '7' })).json.expiresAt)).toBe(clock + 7 * DAY);
    expect(Date.parse((await post(s, bytes(10), { 'X-Expires-In-Days': '90' })).json.expiresAt)).toBe(clock + 90 * DAY);
    for (const bad of ['0', '91', 'abc', '-1', '1.5']) {
      const r = await post(s, bytes(10), { 'X-Expires-In-Days': bad });
      expect(r.status, bad).toBe(400);
      expect(r.json.error).toMatch(/1 to 90/);
    }
  });

  it('answers 413 with a clear message past the size limit, and accepts exactly the limit', async () => {
    const s = await start({ maxShareBytes: 1024 });
    expect((await post(s, bytes(1024))).status).toBe(201);
    const r = await post(s, bytes(1025));
    expect(r.status).toBe(413);
    expect(r.json.error).toMatch(/^This share is larger than the server's limit of 1 KB\./);
  });

  it('has a 5 MB default limit', async () => {
    const s = await start();
    const r = await post(s, bytes(5 * 1024 * 1024 + 1));
    expect(r.status).toBe(413);
    expect(r.json.error).toContain('5 MB');
  });

  it('refuses an empty share', async () => {
    const s = await start();
    const r = await post(s, new Uint8Array(0));
    expect(r.status).toBe(400);
  });

  it('answers 400 for malformed ids and 404 for well-formed unknown ones', async () => {
    const s = await start();
    for (const id of ['abc', 'A'.repeat(23), 'A'.repeat(21) + 'B', '%2e%2e%2fetc', 'AAAAAAAAAAAAAAAAAAAAA!']) {
      const r = await fetch(`${s.url}/api/shares/${id}`);
      expect(r.status, id).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/Malformed share id/);
    }
    const r = await fetch(`${s.url}/api/shares/${'A'.repeat(22)}`);
    expect(r.status).toBe(404);
  });

  it('has no listing endpoint', async () => {
    const s = await start();
    await post(s, bytes(10));
    const r = await fetch(`${s.url}/api/shares`);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
  });

  it('deletes only with the right token: 401 without, 403 wrong, 204 right, then 410', async () => {
    const s = await start();
    const { json } = await post(s, bytes(100));
    const del = (token?: string) => fetch(`${s.url}/api/shares/${json.id}`, { method: 'DELETE', headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect((await del()).status).toBe(401);
    const other = (await post(s, bytes(5))).json.deleteToken;
    const wrong = await del(other);
    expect(wrong.status).toBe(403);
    expect((await fetch(`${s.url}/api/shares/${json.id}`)).status).toBe(200);
    expect((await del(json.deleteToken)).status).toBe(204);
    const g = await fetch(`${s.url}/api/shares/${json.id}`);
    expect(g.status).toBe(410);
    expect(((await g.json()) as { error: string }).error).toMatch(/deleted/);
    expect((await del(json.deleteToken)).status).toBe(410);
  });

  it('stores the delete token hashed, never as given', async () => {
    const s = await start();
    const { json } = await post(s, bytes(10));
    await s.close();
    const db = new Database(path.join(dataDir, 'shares.sqlite'), { readonly: true });
    const row = db.prepare('SELECT * FROM shares WHERE id = ?').get(json.id) as Record<string, unknown>;
    db.close();
    expect(JSON.stringify(row)).not.toContain(json.deleteToken);
    expect(Buffer.from(row.delete_hash as Buffer).toString('base64url')).not.toBe(json.deleteToken);
  });

  it('expires: 410 with the date once the clock passes expiresAt, and the ciphertext is gone from disk', async () => {
    const s = await start();
    const { json } = await post(s, bytes(100, 42), { 'X-Expires-In-Days': '1' });
    clock += DAY - 1;
    expect((await fetch(`${s.url}/api/shares/${json.id}`)).status).toBe(200);
    clock += 1;
    const g = await fetch(`${s.url}/api/shares/${json.id}`);
    expect(g.status).toBe(410);
    expect(((await g.json()) as { error: string }).error).toBe('This share expired on 2025-01-02 and its data has been removed.');
    const db = new Database(path.join(dataDir, 'shares.sqlite'), { readonly: true });
    expect((db.prepare('SELECT data FROM shares WHERE id = ?').get(json.id) as { data: unknown }).data).toBeNull();
    db.close();
  });

  it('purges expired shares periodically, even when nobody asks for them', async () => {
    const s = await start({ purgeIntervalMs: 20 });
    const { json } = await post(s, bytes(100), { 'X-Expires-In-Days': '1' });
    clock += 2 * DAY;
    await new Promise((r) => setTimeout(r, 100));
    const db = new Database(path.join(dataDir, 'shares.sqlite'), { readonly: true });
    expect((db.prepare('SELECT data FROM shares WHERE id = ?').get(json.id) as { data: unknown }).data).toBeNull();
    db.close();
    // Long after, the tombstone goes too and the id is simply unknown.
    clock += 60 * DAY;
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`${s.url}/api/shares/${json.id}`)).status).toBe(404);
  });

  it('keeps every acknowledged share across a restart', async () => {
    const s1 = await start();
    const body = bytes(2000, 9);
    const { json } = await post(s1, body);
    await s1.close();
    servers.length = 0;
    const s2 = await start();
    const g = await fetch(`${s2.url}/api/shares/${json.id}`);
    expect(g.status).toBe(200);
    expect(new Uint8Array(await g.arrayBuffer())).toEqual(body);
    const d = await fetch(`${s2.url}/api/shares/${json.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${json.deleteToken}` } });
    expect(d.status).toBe(204);
  });
});

describe('the app and the headers', () => {
  it('serves index.html for / and for /s/<id>, and assets under /s/ (vite base ./)', async () => {
    const s = await start();
    for (const p of ['/', `/s/${'A'.repeat(22)}`]) {
      const r = await fetch(s.url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await r.text()).toContain('<!doctype html>');
    }
    for (const p of ['/assets/app.js', '/s/assets/app.js']) {
      const r = await fetch(s.url + p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    }
  });

  it('never serves a file outside the dist folder', async () => {
    const s = await start();
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/s/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const r = await fetch(s.url + p);
      expect(await r.text(), p).not.toContain('outside dist');
    }
    expect((await fetch(`${s.url}/nope.js`)).status).toBe(404);
  });

  it('says the app is not built when dist has no index.html', async () => {
    await rm(path.join(distDir, 'index.html'));
    const s = await start();
    const r = await fetch(`${s.url}/`);
    expect(r.status).toBe(503);
    expect(await r.text()).toMatch(/npm run build/);
  });

  it('puts the security headers on every response', async () => {
    const s = await start();
    const responses = [
      await fetch(`${s.url}/`), await fetch(`${s.url}/assets/app.js`), await fetch(`${s.url}/missing`),
      await fetch(`${s.url}/api/shares/bad`), await fetch(`${s.url}/api/shares`, { method: 'POST', body: bytes(3) }),
    ];
    for (const r of responses) {
      expect(r.headers.get('content-security-policy')).toBe(CSP);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(CSP).toContain("frame-ancestors 'none'");
  });
});
