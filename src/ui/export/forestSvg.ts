// The tree view's rows (as laid out by forest.ts) drawn as a standalone SVG in the current theme:
// state letter, PID and user in columns, then the elbows and the command, like `ps --forest`.
// Every string from the capture goes in as a text node (textContent), never as markup.
import { FOREST, type ForestLayout } from './forest.ts';
import { framedSvg, SVG_NS, type Framed } from './standalone.ts';
import { stateColor, themeColor, themeFonts } from './theme.ts';

function text(parent: Element, x: number, y: number, content: string, attrs: Record<string, string> = {}): SVGTextElement {
  const t = document.createElementNS(SVG_NS, 'text');
  t.setAttribute('x', String(x));
  t.setAttribute('y', String(y));
  for (const [k, v] of Object.entries(attrs)) t.setAttribute(k, v);
  t.textContent = content;
  parent.appendChild(t);
  return t;
}

export function forestSvg(layout: ForestLayout, title: string): Framed {
  const F = FOREST;
  const framed = framedSvg(layout.width, layout.height, { title });
  const { body } = framed;
  const fonts = themeFonts();
  const fg = themeColor('--fg');
  const muted = themeColor('--muted');
  const border = themeColor('--border');
  const danger = themeColor('--danger');
  const problemBg = themeColor('--danger-bg');
  body.setAttribute('font-family', fonts.mono);
  body.setAttribute('font-size', '12');
  body.setAttribute('fill', fg);

  const head = document.createElementNS(SVG_NS, 'g');
  head.setAttribute('fill', muted);
  head.setAttribute('font-weight', '600');
  text(head, F.stateX, F.top - 18, 'S');
  text(head, F.pidRight, F.top - 18, 'PID', { 'text-anchor': 'end' });
  text(head, F.userX, F.top - 18, 'USER');
  text(head, F.treeX, F.top - 18, 'COMMAND');
  body.appendChild(head);

  // Problem rows (D, Z, T, a thread in D…) get the same tinted band as on screen.
  for (const l of layout.lines) {
    if (!l.problem) continue;
    const band = document.createElementNS(SVG_NS, 'rect');
    band.setAttribute('x', '0');
    band.setAttribute('y', String(l.y - 13));
    band.setAttribute('width', String(layout.width));
    band.setAttribute('height', String(F.rowHeight));
    band.setAttribute('fill', problemBg);
    body.appendChild(band);
  }

  const links = document.createElementNS(SVG_NS, 'path');
  links.setAttribute('d', layout.links);
  links.setAttribute('fill', 'none');
  links.setAttribute('stroke', border);
  links.setAttribute('stroke-width', '1.2');
  body.appendChild(links);

  for (const l of layout.lines) {
    const g = document.createElementNS(SVG_NS, 'g');
    if (!l.match) g.setAttribute('opacity', '0.55');
    const color = stateColor(l.state);
    text(g, F.stateX, l.y, l.state ?? '?', { fill: color, 'font-weight': '700' });
    text(g, F.pidRight, l.y, l.pid, { 'text-anchor': 'end', fill: l.pid.endsWith('×') ? themeColor('--accent') : muted });
    if (l.user) text(g, F.userX, l.y, l.user, { fill: muted });
    const dot = document.createElementNS(SVG_NS, 'circle');
    dot.setAttribute('cx', String(l.dotX));
    dot.setAttribute('cy', String(l.y - 4));
    dot.setAttribute('r', '3.5');
    dot.setAttribute('fill', color);
    g.appendChild(dot);
    const line = text(g, l.textX, l.y, l.command);
    for (const tag of l.tags) {
      const span = document.createElementNS(SVG_NS, 'tspan');
      span.setAttribute('fill', tag === l.tags[0] && l.state === 'D' ? danger : muted);
      span.setAttribute('dx', String(FOREST.charWidth * 2));
      span.textContent = `[${tag}]`;
      line.appendChild(span);
    }
    body.appendChild(g);
  }
  if (layout.more > 0) {
    const y = F.top + layout.lines.length * F.rowHeight + 6;
    text(body, F.treeX, y, `… ${layout.more.toLocaleString('en-US')} more rows not drawn: collapse subtrees or filter to export them`, { fill: muted, 'font-family': fonts.sans });
  }
  return framed;
}
