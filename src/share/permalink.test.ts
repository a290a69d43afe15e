import { describe, expect, it } from 'vitest';
import { zlibSync } from 'fflate';
import { fromBase64Url, toBase64Url } from './bytes.ts';
import {
  COMFORTABLE_LINK_BYTES, CURRENT_VERSION, decodePermalink, decryptFromServer, encodePermalink, encryptForServer,
  fragmentParam, type SharePayload,
} from './permalink.ts';

const PAYLOAD: SharePayload = {
  v: 1,
  inputs: [
    { name: 'ps.txt', text: 'USER PID STAT COMMAND\nroot 1 Ss /sbin/init\nroot 812 D fsck.ext4 -y /dev/rbd3\n' },
    { name: 'dmesg.txt', text: 'INFO: task fsck.ext4:812 blocked for more than 120 seconds. ünïcödé ✓' },
  ],
  view: { view: 'tree', pid: '812' },
  redacted: ['secrets', 'users'],
};

function v0Link(obj: unknown): string {
  return `#s=0.${toBase64Url(zlibSync(new TextEncoder().encode(JSON.stringify(obj))))}`;
}

describe('base64url', () => {
  it('round-trips every length and rejects characters outside the alphabet', () => {
    for (let n = 0; n < 40; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 73 + n) & 255);
      const s = toBase64Url(b);
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect([...fromBase64Url(s)!]).toEqual([...b]);
    }
    expect(fromBase64Url('ab+c')).toBeNull();
    expect(fromBase64Url('abcde')).toBeNull();
  });
});

describe('permalink', () => {
  it('round-trips inputs and view through the fragment', () => {
    const link = encodePermalink(PAYLOAD);
    expect(link.fragment.startsWith(`s=${CURRENT_VERSION}.`)).toBe(true);
    const back = decodePermalink(`#${link.fragment}`);
    expect(back).toEqual({ ok: true, payload: PAYLOAD });
  });

  it('reports its size and whether it is comfortable to paste', () => {
    const small = encodePermalink(PAYLOAD);
    expect(small.bytes).toBe(small.fragment.length);
    expect(small.comfortable).toBe(true);
    // Incompressible text: random-looking lines.
    const noise = Array.from(globalThis.crypto.getRandomValues(new Uint8Array(60_000)), (b) => String.fromCharCode(33 + (b % 90))).join('');
    const big = encodePermalink({ ...PAYLOAD, inputs: [{ name: 'x', text: noise }] });
    expect(big.bytes).toBeGreaterThan(COMFORTABLE_LINK_BYTES);
    expect(big.comfortable).toBe(false);
  });

  it('opens a v0 link through the upgrader chain', () => {
    const r = decodePermalink(v0Link({ files: [{ file: 'ps.txt', content: 'PID\n1' }], pid: 1, tab: 'table' }));
    expect(r).toEqual({ ok: true, payload: { v: 1, inputs: [{ name: 'ps.txt', text: 'PID\n1' }], view: { pid: '1', view: 'table' } } });
  });

  it('says a v0 link of the wrong shape holds no snapshot', () => {
    const r = decodePermalink(v0Link({ nope: true }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/does not hold a procscope snapshot/);
  });

  it('asks for a newer procscope for a link from the future', () => {
    const r = decodePermalink('#s=9.AAAA');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/newer procscope \(format 9\)/);
  });

  it('gives a clear error, never a throw, for truncated, edited and foreign links', () => {
    const { fragment } = encodePermalink(PAYLOAD);
    const cases: [string, RegExp][] = [
      [`#${fragment.slice(0, Math.floor(fragment.length * 0.6))}`, /truncated or damaged|checksum/],
      [`#${fragment.slice(0, fragment.length - 3)}`, /truncated|damaged/],
      [`#${fragment.slice(0, 4 + 4 * 10 + 1)}`, /truncated: it ends in the middle/],
      [`#${fragment.slice(0, 20)}X${fragment.slice(21)}`, /damaged/],
      ['#s=1.not*base64', /characters a procscope link never has/],
      ['#s=abc', /format version/],
      ['#s=', /no snapshot/],
      [`#s=1.${toBase64Url(zlibSync(new TextEncoder().encode('{"v":1,"inputs":"x"}')))}`, /not in the expected shape/],
      [`#s=1.${toBase64Url(zlibSync(new TextEncoder().encode('not json')))}`, /not valid JSON/],
    ];
    for (const [hash, re] of cases) {
      const r = decodePermalink(hash);
      expect(r.ok, hash.slice(0, 30)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(re);
    }
  });

  it('catches an edit that still inflates, by the checksum', () => {
    // Stored (uncompressed) deflate block: changing one text byte keeps it inflatable.
    const json = new TextEncoder().encode(JSON.stringify(PAYLOAD));
    const z = zlibSync(json, { level: 0 });
    const at = z.indexOf(0x38 /* '8' of 812 */);
    z[at] = 0x39;
    const r = decodePermalink(`#s=1.${toBase64Url(z)}`);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/checksum/) });
  });

  it('refuses a link that expands past the cap (a zip bomb in a URL)', () => {
    const bomb = zlibSync(new Uint8Array(80 * 1024 * 1024).fill(32), { level: 9 });
    const r = decodePermalink(`#s=1.${toBase64Url(bomb)}`);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/more than 64 MB/) });
  });

  it('finds s= and k= among other fragment parameters', () => {
    expect(fragmentParam('#a=1&k=xyz&b=2', 'k')).toBe('xyz');
    expect(fragmentParam('#s=1.abc', 's')).toBe('1.abc');
    expect(fragmentParam('', 's')).toBeNull();
  });
});

describe('encryption for the share server', () => {
  it('round-trips with the key, and the ciphertext holds none of the text', async () => {
    const { ciphertext, keyB64url } = await encryptForServer(PAYLOAD);
    expect(keyB64url).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new TextDecoder('latin1').decode(ciphertext)).not.toContain('fsck');
    expect(await decryptFromServer(ciphertext, keyB64url)).toEqual({ ok: true, payload: PAYLOAD });
  });

  it('uses a fresh key and IV every time', async () => {
    const a = await encryptForServer(PAYLOAD);
    const b = await encryptForServer(PAYLOAD);
    expect(a.keyB64url).not.toBe(b.keyB64url);
    expect(toBase64Url(a.ciphertext.slice(0, 12))).not.toBe(toBase64Url(b.ciphertext.slice(0, 12)));
  });

  it('says the key is wrong or the data altered, for a wrong key or one flipped bit', async () => {
    const { ciphertext, keyB64url } = await encryptForServer(PAYLOAD);
    const other = await encryptForServer(PAYLOAD);
    expect(await decryptFromServer(ciphertext, other.keyB64url)).toEqual({ ok: false, error: expect.stringMatching(/key in the link is wrong|altered/) });
    const flipped = ciphertext.slice();
    flipped[flipped.length - 1] ^= 1;
    expect(await decryptFromServer(flipped, keyB64url)).toEqual({ ok: false, error: expect.stringMatching(/altered/) });
    expect(await decryptFromServer(ciphertext, keyB64url.slice(0, 20))).toEqual({ ok: false, error: expect.stringMatching(/key after #k= is missing or cut/) });
  });
});
