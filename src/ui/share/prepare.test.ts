import { describe, expect, it } from 'vitest';
import { decodePermalink, decryptFromServer } from '../../share/permalink.ts';
import { DEFAULT_REDACT_OPTIONS, REDACTED } from '../../share/redact.ts';
import { PREVIEW_CHANGED_LINES, PREVIEW_HEAD_LINES, SharePreparer } from './prepare.ts';

const PS = [
  'USER         PID  PPID STAT COMMAND',
  'root           1     0 Ss   /sbin/init',
  'root          19     1 S    /usr/local/bin/app-server serve --password=hunter2 --db=postgres://app:s3cret@db:5432/x',
].join('\n');

describe('SharePreparer (the share worker)', () => {
  it('prepares a preview with marked spans, a link holding the redacted inputs and view, and counts', () => {
    const p = new SharePreparer();
    const r = p.prepare({ inputs: [{ name: 'ps.txt', text: PS }], options: DEFAULT_REDACT_OPTIONS, view: { view: 'tree', pid: '19' } });
    expect(r.preview[0].changed.map((l) => l.line)).toEqual([3]);
    const line = r.preview[0].changed[0];
    expect(line.spans.map((s) => line.text.slice(s.start, s.end))).toEqual([REDACTED, REDACTED, 'host-1']);
    expect(r.counts).toEqual({ secrets: 2, hosts: 1, ips: 0, users: 0 });
    const d = decodePermalink(r.link.fragment);
    expect(d.ok && d.payload.view).toEqual({ view: 'tree', pid: '19' });
    expect(d.ok && d.payload.redacted).toEqual(['secrets', 'hosts', 'ips', 'users']);
    expect(JSON.stringify(d)).not.toMatch(/hunter2|s3cret/);
  });

  it('keeps the preview small for a huge input: a head and a capped list of changed lines', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `root ${i + 2} 1 S app --token=t${i}`);
    const p = new SharePreparer();
    const r = p.prepare({ inputs: [{ name: 'big', text: ['USER PID PPID STAT COMMAND', ...rows].join('\n') }], options: DEFAULT_REDACT_OPTIONS, view: {} });
    expect(r.preview[0].head).toHaveLength(PREVIEW_HEAD_LINES);
    expect(r.preview[0].changed).toHaveLength(PREVIEW_CHANGED_LINES);
    expect(r.preview[0].changedLines).toBe(5000);
    expect(r.unlisted).toBe(5000 - PREVIEW_CHANGED_LINES);
    expect(r.changes).toBe(5000);
  });

  it('encrypts and writes Markdown from the last prepared (redacted) payload', async () => {
    const p = new SharePreparer();
    p.prepare({ inputs: [{ name: 'ps.txt', text: PS }], options: DEFAULT_REDACT_OPTIONS, view: {} });
    const { ciphertext, keyB64url } = await p.encrypt();
    const back = await decryptFromServer(ciphertext, keyB64url);
    expect(back.ok && back.payload.inputs[0].text).toContain(`--password=${REDACTED}`);
    const md = await p.markdown('https://x/#s=1.abc');
    expect(md).toContain('https://x/#s=1.abc');
    expect(md).not.toMatch(/hunter2|s3cret/);
  });
});
