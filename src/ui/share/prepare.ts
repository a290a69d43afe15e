// What the share dialog needs, computed away from the page (share.worker.ts) so a million-row
// capture does not freeze it: the redacted inputs (kept here), a preview small enough to post
// back, the link, and on demand the ciphertext or the Markdown. No DOM.
import { REDACT_CATEGORIES, redactInputs, type RedactCategory, type RedactChange, type RedactOptions } from '../../share/redact.ts';
import { encodePermalink, encryptForServer, type EncodedLink, type SharePayload } from '../../share/permalink.ts';

/** Lines shown in full per input, and changed lines listed over all inputs. */
export const PREVIEW_HEAD_LINES = 2000;
export const PREVIEW_CHANGED_LINES = 400;

export interface PreviewLine {
  line: number;
  text: string;
  spans: RedactChange[];
}

export interface PreviewInput {
  name: string;
  lineCount: number;
  changedLines: number;
  head: PreviewLine[];
  changed: PreviewLine[];
}

export interface Prepared {
  preview: PreviewInput[];
  /** Changed lines not listed in the preview (all of them are redacted all the same). */
  unlisted: number;
  counts: Record<RedactCategory, number>;
  changes: number;
  link: EncodedLink;
}

export interface PrepareRequest {
  inputs: { name: string; text: string }[];
  options: RedactOptions;
  view: Record<string, string>;
}

export class SharePreparer {
  private payload: SharePayload | null = null;

  prepare(req: PrepareRequest): Prepared {
    const r = redactInputs(req.inputs, req.options);
    this.payload = {
      v: 1,
      inputs: r.inputs,
      view: req.view,
      redacted: REDACT_CATEGORIES.filter((c) => req.options[c]),
    };
    const byInput = r.inputs.map(() => new Map<number, RedactChange[]>());
    for (const c of r.changes) {
      const m = byInput[c.inputIndex];
      const l = m.get(c.line);
      if (l) l.push(c); else m.set(c.line, [c]);
    }
    let budget = PREVIEW_CHANGED_LINES;
    let unlisted = 0;
    const preview = r.inputs.map((input, i): PreviewInput => {
      const lines = input.text.split('\n');
      const m = byInput[i];
      const head = lines.slice(0, PREVIEW_HEAD_LINES).map((text, k) => ({ line: k + 1, text, spans: m.get(k + 1) ?? [] }));
      const changed: PreviewLine[] = [];
      for (const ln of [...m.keys()].sort((a, b) => a - b)) {
        if (budget <= 0) { unlisted++; continue; }
        budget--;
        changed.push({ line: ln, text: lines[ln - 1] ?? '', spans: m.get(ln)! });
      }
      return { name: input.name || 'paste', lineCount: lines.length, changedLines: m.size, head, changed };
    });
    return { preview, unlisted, counts: r.counts, changes: r.changes.length, link: encodePermalink(this.payload) };
  }

  async encrypt(): Promise<{ ciphertext: Uint8Array; keyB64url: string }> {
    if (!this.payload) throw new Error('nothing prepared');
    return encryptForServer(this.payload);
  }

  /** The postmortem section, built from the REDACTED inputs: what it quotes is what is shared. */
  async markdown(permalink: string | undefined): Promise<string> {
    if (!this.payload) throw new Error('nothing prepared');
    const [{ analyze }, { toMarkdown }] = await Promise.all([import('../../analyze.ts'), import('../../report/markdown.ts')]);
    return toMarkdown(analyze(this.payload.inputs), permalink ? { permalink } : {});
  }
}

export type WorkerRequest =
  | ({ id: number; type: 'prepare' } & PrepareRequest)
  | { id: number; type: 'encrypt' }
  | { id: number; type: 'markdown'; permalink?: string };

export type WorkerResponse =
  | { id: number; type: 'prepared'; prepared: Prepared }
  | { id: number; type: 'encrypted'; ciphertext: Uint8Array; keyB64url: string }
  | { id: number; type: 'markdown'; markdown: string }
  | { id: number; type: 'error'; message: string };

/** Answers one request; shared by the worker and the in-page fallback. */
export async function answer(p: SharePreparer, req: WorkerRequest): Promise<WorkerResponse> {
  try {
    switch (req.type) {
      case 'prepare': return { id: req.id, type: 'prepared', prepared: p.prepare(req) };
      case 'encrypt': { const e = await p.encrypt(); return { id: req.id, type: 'encrypted', ...e }; }
      case 'markdown': return { id: req.id, type: 'markdown', markdown: await p.markdown(req.permalink) };
    }
  } catch (e) {
    return { id: req.id, type: 'error', message: (e as Error).message };
  }
}
