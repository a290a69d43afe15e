// A drawing on the page (the state diagram, the focus tree) as a standalone SVG file: a copy whose
// every element carries its computed style as presentation attributes (fill, stroke, font…), CSS
// variables resolved to the current theme's colours, on the theme's background, with a title.
// Only attributes: no style sheet and no style attribute, so the file needs nothing from the page
// and renders the same in a browser, an <img>, Inkscape or a slide. Text stays text nodes.
import { solidColor, themeColor, themeFonts } from './theme.ts';

export const SVG_NS = 'http://www.w3.org/2000/svg';

const SHAPES = new Set(['path', 'circle', 'ellipse', 'rect', 'line', 'polyline', 'polygon']);
const TEXTS = new Set(['text', 'tspan']);
/** Elements a file must never carry, whatever ends up in the drawing. */
const FORBIDDEN = new Set(['script', 'foreignObject', 'iframe', 'object', 'embed', 'image', 'use', 'a', 'style', 'animate', 'set']);
/** Page-only attributes: classes (the CSS is not in the file), focus and button semantics. */
const DROP_ATTRS = new Set(['class', 'style', 'tabindex', 'role', 'aria-pressed', 'aria-expanded', 'aria-selected']);

const px = (v: string) => v.replace(/(\d)px\b/g, '$1');
const num = (v: string, otherwise: number) => (v.trim() === '' || Number.isNaN(Number(v)) ? otherwise : Number(v));

function paint(out: Element, attr: 'fill' | 'stroke', value: string, opacity: number): void {
  const c = solidColor(value);
  if (!c) { out.setAttribute(attr, 'none'); return; }
  out.setAttribute(attr, c.rgb);
  const a = c.alpha * opacity;
  if (a < 1) out.setAttribute(`${attr}-opacity`, String(Math.round(a * 1000) / 1000));
}

function inline(src: Element, out: Element): void {
  const tag = src.localName;
  const cs = getComputedStyle(src);
  const opacity = num(cs.opacity, 1);
  if (opacity < 1) out.setAttribute('opacity', String(opacity));
  if (SHAPES.has(tag) || TEXTS.has(tag)) {
    paint(out, 'fill', cs.fill, num(cs.fillOpacity, 1));
    paint(out, 'stroke', cs.stroke, num(cs.strokeOpacity, 1));
    if (solidColor(cs.stroke)) {
      out.setAttribute('stroke-width', px(cs.strokeWidth));
      if (cs.strokeDasharray && cs.strokeDasharray !== 'none') out.setAttribute('stroke-dasharray', px(cs.strokeDasharray));
      if (cs.strokeLinecap !== 'butt') out.setAttribute('stroke-linecap', cs.strokeLinecap);
      if (cs.strokeLinejoin !== 'miter') out.setAttribute('stroke-linejoin', cs.strokeLinejoin);
    }
  }
  // `r` can be set from CSS (`.focus-node.selected circle { r: 7 }`): keep what is drawn.
  if (tag === 'circle' && cs.r && cs.r !== 'auto') out.setAttribute('r', px(cs.r));
  if (TEXTS.has(tag)) {
    out.setAttribute('font-family', cs.fontFamily);
    out.setAttribute('font-size', px(cs.fontSize));
    if (cs.fontWeight !== '400') out.setAttribute('font-weight', cs.fontWeight);
    if (cs.fontStyle !== 'normal') out.setAttribute('font-style', cs.fontStyle);
    if (cs.textAnchor && cs.textAnchor !== 'start') out.setAttribute('text-anchor', cs.textAnchor);
    if (cs.dominantBaseline && cs.dominantBaseline !== 'auto') out.setAttribute('dominant-baseline', cs.dominantBaseline);
  }
}

/** Copies `src` into `out` (same structure) element by element, styles inlined. */
function copyInto(src: Element, out: Element): void {
  for (const a of Array.from(src.attributes)) {
    const n = a.name.toLowerCase();
    if (DROP_ATTRS.has(n) || n.startsWith('on') || n.startsWith('data-') || n === 'href' || n === 'xlink:href') continue;
    out.setAttribute(a.name, a.value);
  }
  inline(src, out);
  for (const child of Array.from(src.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE) {
      out.appendChild(out.ownerDocument.createTextNode(child.textContent ?? ''));
    } else if (child.nodeType === Node.ELEMENT_NODE) {
      const el = child as Element;
      if (el.namespaceURI !== SVG_NS || FORBIDDEN.has(el.localName)) continue;
      if (getComputedStyle(el).display === 'none') continue;
      const copy = out.ownerDocument.createElementNS(SVG_NS, el.localName);
      out.appendChild(copy);
      copyInto(el, copy);
    }
  }
}

export interface Framed {
  svg: SVGSVGElement;
  width: number;
  height: number;
}

export interface FrameOptions {
  title: string;
  /** Legend entries drawn below the drawing: a coloured dot and a line of text. */
  legend?: { color: string; text: string; dashed?: boolean }[];
}

const TITLE_BAND = 30;
const LEGEND_ROW = 18;

/**
 * A new <svg> of `width`×`height` drawing units (plus a title band and an optional legend) on the
 * theme's background. Returns it and the group to draw into (its origin is the drawing's 0,0).
 */
export function framedSvg(width: number, height: number, opts: FrameOptions, viewOrigin: [number, number] = [0, 0]): Framed & { body: SVGGElement } {
  const fonts = themeFonts();
  const legendH = opts.legend?.length ? Math.ceil(opts.legend.length / 2) * LEGEND_ROW + 10 : 0;
  // Never narrower than the title (13 px semibold: about 7.6 px a character).
  const W = Math.ceil(Math.max(width, 24 + opts.title.length * 7.6));
  const H = Math.ceil(height + TITLE_BAND + legendH);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('width', String(W));
  svg.setAttribute('height', String(H));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('font-family', fonts.sans);
  svg.setAttribute('font-size', '12');
  const title = document.createElementNS(SVG_NS, 'title');
  title.textContent = opts.title;
  svg.appendChild(title);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', themeColor('--bg', 'rgb(255, 255, 255)'));
  svg.appendChild(bg);
  const heading = document.createElementNS(SVG_NS, 'text');
  heading.setAttribute('x', '12');
  heading.setAttribute('y', '20');
  heading.setAttribute('font-size', '13');
  heading.setAttribute('font-weight', '600');
  heading.setAttribute('fill', themeColor('--fg'));
  heading.textContent = opts.title;
  svg.appendChild(heading);
  const body = document.createElementNS(SVG_NS, 'g');
  body.setAttribute('transform', `translate(${-viewOrigin[0]},${TITLE_BAND - viewOrigin[1]})`);
  svg.appendChild(body);
  if (opts.legend?.length) {
    const muted = themeColor('--muted');
    const colW = Math.max(260, W / 2 - 12);
    opts.legend.forEach((l, i) => {
      const x = 12 + (i % 2) * colW;
      const y = TITLE_BAND + height + 10 + Math.floor(i / 2) * LEGEND_ROW + 9;
      const dot = document.createElementNS(SVG_NS, 'circle');
      dot.setAttribute('cx', String(x + 5));
      dot.setAttribute('cy', String(y - 4));
      dot.setAttribute('r', '5');
      if (l.dashed) {
        dot.setAttribute('fill', 'none');
        dot.setAttribute('stroke', l.color);
        dot.setAttribute('stroke-dasharray', '2 1.5');
      } else dot.setAttribute('fill', l.color);
      const t = document.createElementNS(SVG_NS, 'text');
      t.setAttribute('x', String(x + 16));
      t.setAttribute('y', String(y));
      t.setAttribute('font-size', '11');
      t.setAttribute('fill', muted);
      t.textContent = l.text;
      svg.append(dot, t);
    });
  }
  return { svg, body, width: W, height: H };
}

/**
 * The live <svg> as a standalone file. Its drawing area is its viewBox when it has one (the state
 * diagram), else its width and height (the focus tree).
 */
export function standaloneSvg(live: SVGSVGElement, opts: FrameOptions): Framed {
  const vb = live.viewBox.baseVal;
  const hasBox = !!vb && vb.width > 0 && vb.height > 0;
  const w = hasBox ? vb.width : Number(live.getAttribute('width')) || live.getBoundingClientRect().width;
  const h = hasBox ? vb.height : Number(live.getAttribute('height')) || live.getBoundingClientRect().height;
  const framed = framedSvg(w, h, opts, hasBox ? [vb.x, vb.y] : [0, 0]);
  // The live root's own children go into the body group; its attributes (size, viewBox, role)
  // belong to the page, but its inherited style (font) must come along.
  const cs = getComputedStyle(live);
  framed.body.setAttribute('font-family', cs.fontFamily);
  framed.body.setAttribute('font-size', px(cs.fontSize));
  framed.body.setAttribute('fill', solidColor(cs.color)?.rgb ?? themeColor('--fg'));
  for (const child of Array.from(live.children)) {
    if (child.namespaceURI !== SVG_NS || FORBIDDEN.has(child.localName)) continue;
    const copy = document.createElementNS(SVG_NS, child.localName);
    framed.body.appendChild(copy);
    copyInto(child, copy);
  }
  return framed;
}
