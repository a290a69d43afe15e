// Colours for a drawing that leaves the page: CSS variables and color-mix() resolved to plain
// `rgb()` (+ an opacity) for the theme on screen, so the file looks the same in any viewer.

let probe: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, { rgb: string; alpha: number } | null>();

/**
 * `rgb(r, g, b)` and alpha for any CSS colour the browser computed, e.g. `rgb(192, 38, 45)`,
 * `rgba(0, 0, 0, 0)` or `color(srgb 0.95 0.86 0.87)` (what color-mix() computes to). Anything
 * that is not a plain rgb() is painted on a 1×1 canvas and read back. null = no paint.
 */
export function solidColor(value: string): { rgb: string; alpha: number } | null {
  const v = value.trim();
  if (!v || v === 'none' || v === 'transparent' || v.startsWith('url(')) return null;
  const hit = cache.get(v);
  if (hit !== undefined) return hit;
  let out: { rgb: string; alpha: number } | null = null;
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(v);
  if (m) {
    const a = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
    out = a === 0 ? null : { rgb: `rgb(${Math.round(Number(m[1]))}, ${Math.round(Number(m[2]))}, ${Math.round(Number(m[3]))})`, alpha: a };
  } else {
    if (probe === undefined) probe = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    if (probe) {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = v;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      out = a === 0 ? null : { rgb: `rgb(${r}, ${g}, ${b})`, alpha: Math.round((a / 255) * 1000) / 1000 };
    }
  }
  cache.set(v, out);
  return out;
}

/** A theme colour by CSS variable name (`--bg`), resolved on the page's root element. */
export function themeColor(name: string, fallback = 'rgb(0, 0, 0)'): string {
  const raw = getComputedStyle(document.documentElement).getPropertyValue(name);
  return solidColor(raw)?.rgb ?? fallback;
}

/** The state letter's colour variable, as the CSS maps it (`.st-tt` is `t`, I and P share one). */
export function stateColor(letter: string | null | undefined): string {
  const v = letter === 'I' || letter === 'P' ? '--st-I'
    : letter && ['R', 'S', 'D', 'Z', 'T', 't'].includes(letter) ? `--st-${letter}` : '--st-X';
  return themeColor(v);
}

/** Font stacks as the page uses them. */
export function themeFonts(): { sans: string; mono: string } {
  const s = getComputedStyle(document.documentElement);
  return {
    sans: s.getPropertyValue('--font').trim() || 'system-ui, sans-serif',
    mono: s.getPropertyValue('--mono').trim() || 'monospace',
  };
}
