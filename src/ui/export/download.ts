// Saving a drawing: the SVG file as it is, or a PNG rendered from it at 2× on an offscreen canvas.
// Both go out through a Blob URL (the page's CSP allows blob: images; nothing touches a server).
import type { Framed } from './standalone.ts';

export function serializeSvg(f: Framed): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(f.svg)}\n`;
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.click();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Canvas limits (Chromium: 32,767 px a side, ~268M pixels): a tall tree gets a smaller scale. */
export function pngScale(width: number, height: number, wanted = 2): number {
  const side = 32_000 / Math.max(width, height);
  const area = Math.sqrt(200_000_000 / (width * height));
  return Math.max(0.1, Math.min(wanted, side, area));
}

export async function svgToPng(svgText: string, width: number, height: number, wanted = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = pngScale(width, height, wanted);
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D canvas');
      ctx.drawImage(img, 0, 0, w, h);
      return await canvas.convertToBlob({ type: 'image/png' });
    }
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a drawing as `<name>.svg` or `<name>.png`. */
export async function saveDrawing(f: Framed, name: string, kind: 'svg' | 'png'): Promise<void> {
  const svg = serializeSvg(f);
  if (kind === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
  else downloadBlob(await svgToPng(svg, f.width, f.height), `${name}.png`);
}

/** A file name part from free text (a host name, a PID): letters, digits, dot, dash. */
export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}
