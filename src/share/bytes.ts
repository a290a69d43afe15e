// Byte helpers for share payloads: base64url without padding (URL fragments and keys), zlib
// with a checked Adler-32 and a cap on the expanded size. Pure; TextEncoder/TextDecoder and
// fflate only, so the same code runs in the browser, the worker and Node.

import { Unzlib, zlibSync } from 'fflate';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64Url(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
    if (chunk.length >= 8192) { parts.push(chunk); chunk = ''; }
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
  }
  parts.push(chunk);
  return parts.join('');
}

/** Strict decoder: null on any character outside the alphabet or an impossible length. */
export function fromBase64Url(s: string): Uint8Array | null {
  if (s.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
    acc &= 0xffff;
  }
  return out.subarray(0, o);
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  const n = data.length;
  for (let i = 0; i < n;) {
    const end = Math.min(i + 5552, n);
    for (; i < end; i++) { a += data[i]; b += a; }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function compress(text: string): Uint8Array {
  return zlibSync(new TextEncoder().encode(text), { level: 9 });
}

export type InflateResult = { ok: true; text: string } | { ok: false; reason: 'corrupt' | 'checksum' | 'too-large' | 'encoding' };

/**
 * Expands zlib data. fflate does not check the Adler-32 trailer, so we do: an edited link that
 * still inflates is caught here. Stops at `maxBytes` so a crafted link cannot exhaust memory.
 */
export function decompress(data: Uint8Array, maxBytes: number): InflateResult {
  if (data.length < 6) return { ok: false, reason: 'corrupt' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const z = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > maxBytes) { tooLarge = true; throw new Error('too large'); }
    chunks.push(chunk);
  });
  try {
    const step = 64 * 1024;
    for (let i = 0; i < data.length; i += step) z.push(data.subarray(i, i + step), i + step >= data.length);
  } catch {
    return { ok: false, reason: tooLarge ? 'too-large' : 'corrupt' };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  const t = data.length;
  const want = ((data[t - 4] << 24) | (data[t - 3] << 16) | (data[t - 2] << 8) | data[t - 1]) >>> 0;
  if (adler32(out) !== want) return { ok: false, reason: 'checksum' };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(out) };
  } catch {
    return { ok: false, reason: 'encoding' };
  }
}
