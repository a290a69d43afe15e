// The share dialog's worker: redaction, link encoding, encryption and Markdown off the page.
import { answer, SharePreparer, type WorkerRequest } from './prepare.ts';

const preparer = new SharePreparer();

self.onmessage = async (e: MessageEvent<WorkerRequest>) => {
  const res = await answer(preparer, e.data);
  if (res.type === 'encrypted') (self as unknown as Worker).postMessage(res, [res.ciphertext.buffer]);
  else (self as unknown as Worker).postMessage(res);
};
