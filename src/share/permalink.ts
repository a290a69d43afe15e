// The share payload and its two carriers (Firefox Profiler's versioned URLs, Excalidraw's key in
// the fragment):
//   permalink  `#s=<version>.<base64url(zlib(JSON))>` — the whole redacted snapshot in the URL
//              FRAGMENT, which browsers never send to a server;
//   server     `[version byte][zlib(JSON)]` encrypted with AES-GCM-256 (WebCrypto); the server
//              stores only ciphertext, the key lives in the link's fragment `#k=<key>`.
// Every version ever written keeps opening: decoding starts at the link's version and runs the
// upgraders up to the current one, then validates with zod. A bad link gives an error value
// with a sentence for the user, never a throw.
import { z } from 'zod';
import { compress, decompress, fromBase64Url, toBase64Url } from './bytes.ts';
import { REDACT_CATEGORIES } from './edits.ts';

export const CURRENT_VERSION = 1;

/** Past this a link still works but is awkward to paste in chat or mail: offer the server. */
export const COMFORTABLE_LINK_BYTES = 32 * 1024;
/** Chromium refuses URLs over 2 MB; stay under it. */
export const MAX_LINK_BYTES = 2 * 1024 * 1024 - 4096;
/** What a link or a stored share may expand to; a crafted one cannot exhaust memory. */
export const MAX_EXPANDED_BYTES = 64 * 1024 * 1024;

export const SharePayload = z.object({
  v: z.literal(CURRENT_VERSION),
  /** The redacted raw inputs: the receiver re-parses them to the same graph. */
  inputs: z.array(z.object({ name: z.string().max(1000), text: z.string() })).max(10_000),
  /** The view state (`view`, `pid`, `q`, … as the URL query holds it). */
  view: z.record(z.string(), z.string()),
  /** Which redaction categories were applied before sharing, for the receiver's information. */
  redacted: z.array(z.enum(REDACT_CATEGORIES)).optional(),
});
export type SharePayload = z.infer<typeof SharePayload>;

export type DecodeResult = { ok: true; payload: SharePayload } | { ok: false; error: string };

/**
 * `UPGRADERS[n]` turns a version n-1 payload into version n. Never edit one once released:
 * add a version and an upgrader instead.
 */
const UPGRADERS: ReadonlyArray<((old: unknown) => unknown) | null> = [
  null,
  // v0 → v1. v0 is the prototype's shape, never released; kept as the worked example of an
  // upgrader: `{ files: [{ file, content }], pid?: number, tab?: string }`.
  (old) => {
    const o = z.object({
      files: z.array(z.object({ file: z.string(), content: z.string() })),
      pid: z.number().int().optional(),
      tab: z.string().optional(),
    }).parse(old);
    const view: Record<string, string> = {};
    if (o.pid !== undefined) view.pid = String(o.pid);
    if (o.tab !== undefined) view.view = o.tab;
    return { v: 1, inputs: o.files.map((f) => ({ name: f.file, text: f.content })), view };
  },
];

/** Runs the upgraders from `version` to the current one and validates the result. */
export function upgrade(version: number, data: unknown): DecodeResult {
  if (!Number.isInteger(version) || version < 0) return { ok: false, error: 'This link is damaged: its format version is not a number.' };
  if (version > CURRENT_VERSION) {
    return { ok: false, error: `This link was made by a newer procscope (format ${version}); this one reads formats up to ${CURRENT_VERSION}. Update procscope to open it.` };
  }
  let d = data;
  try {
    for (let v = version + 1; v <= CURRENT_VERSION; v++) d = UPGRADERS[v]!(d);
  } catch {
    return { ok: false, error: `This link does not hold a procscope snapshot of format ${version}.` };
  }
  const parsed = SharePayload.safeParse(d);
  if (!parsed.success) return { ok: false, error: 'This link does not hold a procscope snapshot (its content is not in the expected shape).' };
  return { ok: true, payload: parsed.data };
}

function fromJsonBytes(version: number, zbytes: Uint8Array, what: string): DecodeResult {
  const inflated = decompress(zbytes, MAX_EXPANDED_BYTES);
  if (!inflated.ok) {
    const why = {
      corrupt: `This ${what} is truncated or damaged: the snapshot inside does not decompress. Was the link cut when it was copied?`,
      checksum: `This ${what} is damaged: the snapshot inside does not match its checksum. Was the link edited?`,
      'too-large': `This ${what} expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MB; procscope refuses to open it.`,
      encoding: `This ${what} is damaged: the snapshot inside is not text.`,
    }[inflated.reason];
    return { ok: false, error: why };
  }
  let json: unknown;
  try {
    json = JSON.parse(inflated.text);
  } catch {
    return { ok: false, error: `This ${what} is damaged: the snapshot inside is not valid JSON.` };
  }
  return upgrade(version, json);
}

export interface EncodedLink {
  /** `s=1.…`, to put after `#`. */
  fragment: string;
  /** Length of the fragment in bytes (ASCII), i.e. what the link adds to the address. */
  bytes: number;
  comfortable: boolean;
  /** Over what browsers accept in an address: only the server can carry it. */
  tooLarge: boolean;
}

export function encodePayload(payload: SharePayload): Uint8Array {
  return compress(JSON.stringify(payload));
}

export function encodePermalink(payload: SharePayload): EncodedLink {
  const fragment = `s=${CURRENT_VERSION}.${toBase64Url(encodePayload(payload))}`;
  return { fragment, bytes: fragment.length, comfortable: fragment.length <= COMFORTABLE_LINK_BYTES, tooLarge: fragment.length > MAX_LINK_BYTES };
}

/** Reads one `key=value` parameter of a fragment (`#s=…`, `#k=…&x=y`). */
export function fragmentParam(hash: string, key: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  }
  return null;
}

/** Decodes `#s=<version>.<data>` (or the value after `s=`). */
export function decodePermalink(hashOrValue: string): DecodeResult {
  const value = hashOrValue.startsWith('#') || hashOrValue.startsWith('s=') ? fragmentParam(hashOrValue, 's') : hashOrValue;
  if (value === null || value === '') return { ok: false, error: 'This link holds no snapshot.' };
  const dot = value.indexOf('.');
  if (dot <= 0 || !/^\d{1,4}$/.test(value.slice(0, dot))) {
    return { ok: false, error: 'This link is damaged: it does not start with a format version (expected #s=<version>.<data>).' };
  }
  const version = Number(value.slice(0, dot));
  if (version > CURRENT_VERSION) return upgrade(version, null);
  const data = value.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]*$/.test(data)) return { ok: false, error: 'This link is damaged: it contains characters a procscope link never has. Was it edited?' };
  const bytes = fromBase64Url(data);
  if (!bytes) return { ok: false, error: 'This link is truncated: it ends in the middle of a character group. Was it cut when it was copied?' };
  return fromJsonBytes(version, bytes, 'link');
}

// ---- the share server: AES-GCM-256, random 96-bit IV prefixed to the ciphertext ----

const IV_BYTES = 12;

export interface Encrypted {
  /** IV ‖ AES-GCM(key, [version byte] ‖ zlib(JSON)). */
  ciphertext: Uint8Array;
  /** The raw 256-bit key, base64url (43 characters): goes in the link's fragment only. */
  keyB64url: string;
}

/** Browsers give WebCrypto to secure pages only (https, localhost). */
export const INSECURE_CONTEXT = 'Encryption needs a secure page: open procscope over https (or on localhost) to use the share server.';

function subtleCrypto(): SubtleCrypto | null {
  return globalThis.crypto?.subtle ?? null;
}

export async function encryptForServer(payload: SharePayload): Promise<Encrypted> {
  const subtle = subtleCrypto();
  if (!subtle) throw new Error(INSECURE_CONTEXT);
  const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const body = encodePayload(payload);
  const plain = new Uint8Array(body.length + 1);
  plain[0] = CURRENT_VERSION;
  plain.set(body, 1);
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  const ciphertext = new Uint8Array(IV_BYTES + ct.length);
  ciphertext.set(iv, 0);
  ciphertext.set(ct, IV_BYTES);
  const raw = new Uint8Array(await subtle.exportKey('raw', key));
  return { ciphertext, keyB64url: toBase64Url(raw) };
}

export async function decryptFromServer(ciphertext: Uint8Array, keyB64url: string): Promise<DecodeResult> {
  const raw = fromBase64Url(keyB64url);
  if (!raw || raw.length !== 32) return { ok: false, error: 'This share link is damaged: the key after #k= is missing or cut.' };
  if (ciphertext.length <= IV_BYTES + 16) return { ok: false, error: 'This share is damaged: the stored data is too short.' };
  const subtle = subtleCrypto();
  if (!subtle) return { ok: false, error: INSECURE_CONTEXT };
  let plain: Uint8Array;
  try {
    const key = await subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, ['decrypt']);
    const iv = ciphertext.slice(0, IV_BYTES);
    plain = new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext.slice(IV_BYTES)));
  } catch {
    return { ok: false, error: 'This share could not be decrypted: the key in the link is wrong, or the stored data was altered.' };
  }
  if (plain.length < 2) return { ok: false, error: 'This share is damaged: it holds no snapshot.' };
  const version = plain[0];
  if (version > CURRENT_VERSION) return upgrade(version, null);
  return fromJsonBytes(version, plain.subarray(1), 'share');
}
