// Files become inputs as text; .gz is inflated in the browser (DecompressionStream), never uploaded.
import type { InputFile } from '../hooks/useAnalysis.ts';

async function gunzip(file: Blob): Promise<string> {
  const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

export async function readFiles(files: Iterable<File>): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const f of files) {
    const head = new Uint8Array(await f.slice(0, 2).arrayBuffer());
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    try {
      const text = gz ? await gunzip(f) : await f.text();
      out.push({ name: gz ? f.name.replace(/\.gz$/i, '') : f.name, text });
    } catch (err) {
      // Keep the file in the list so the problem is named, not silently skipped.
      out.push({ name: f.name, text: '' });
      console.warn(`could not read ${f.name}:`, err);
    }
  }
  return out;
}

/** Whether a keyboard or paste event is aimed at a text field (then the page handlers stay out). */
export function inTextField(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(type);
  }
  return false;
}
