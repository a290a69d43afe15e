// Talks to the share worker: one request at a time per kind, stale answers dropped. Falls back
// to computing in the page when a worker cannot start.
import { useCallback, useEffect, useRef, useState } from 'react';
import { answer, SharePreparer, type Prepared, type PrepareRequest, type WorkerRequest, type WorkerResponse } from './prepare.ts';

type Pending = (r: WorkerResponse) => void;
type Unsent = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

class Channel {
  private worker: Worker | null = null;
  private local: SharePreparer | null = null;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor() {
    try {
      this.worker = new Worker(new URL('./share.worker.ts', import.meta.url), { type: 'module', name: 'procscope-share' });
      this.worker.onmessage = (e: MessageEvent<WorkerResponse>) => this.settle(e.data);
      this.worker.onerror = () => this.fallBack();
    } catch {
      this.fallBack();
    }
  }

  private fallBack(): void {
    this.worker?.terminate();
    this.worker = null;
    this.local ??= new SharePreparer();
    // Requests lost with the worker are answered here instead.
    for (const id of [...this.pending.keys()]) this.settle({ id, type: 'error', message: 'The share worker stopped; please retry.' });
  }

  private settle(r: WorkerResponse): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    p(r);
  }

  request(req: Unsent): Promise<WorkerResponse> {
    const id = ++this.seq;
    const full = { ...req, id } as WorkerRequest;
    return new Promise((resolve) => {
      if (this.worker) {
        this.pending.set(id, resolve);
        this.worker.postMessage(full);
      } else {
        void answer(this.local ?? (this.local = new SharePreparer()), full).then(resolve);
      }
    });
  }

  close(): void {
    this.worker?.terminate();
    this.pending.clear();
  }
}

export interface SharePrep {
  prepared: Prepared | null;
  busy: boolean;
  error: string | null;
  encrypt(): Promise<{ ciphertext: Uint8Array; keyB64url: string }>;
  markdown(permalink: string | undefined): Promise<string>;
}

export function useSharePrep(req: PrepareRequest): SharePrep {
  const channel = useRef<Channel | null>(null);
  const latest = useRef(0);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    channel.current = new Channel();
    return () => { channel.current?.close(); channel.current = null; };
  }, []);

  useEffect(() => {
    const ch = channel.current;
    if (!ch) return;
    const mine = ++latest.current;
    setBusy(true);
    void ch.request({ type: 'prepare', ...req }).then((r) => {
      if (mine !== latest.current) return;
      setBusy(false);
      if (r.type === 'prepared') { setPrepared(r.prepared); setError(null); } else if (r.type === 'error') setError(r.message);
    });
  }, [req]);

  const encrypt = useCallback(async () => {
    const r = await channel.current!.request({ type: 'encrypt' });
    if (r.type !== 'encrypted') throw new Error(r.type === 'error' ? r.message : 'unexpected answer');
    return { ciphertext: r.ciphertext, keyB64url: r.keyB64url };
  }, []);

  const markdown = useCallback(async (permalink: string | undefined) => {
    const r = await channel.current!.request({ type: 'markdown', permalink });
    if (r.type !== 'markdown') throw new Error(r.type === 'error' ? r.message : 'unexpected answer');
    return r.markdown;
  }, []);

  return { prepared, busy, error, encrypt, markdown };
}
