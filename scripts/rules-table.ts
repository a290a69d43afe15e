// Prints the README's rule table from the rules themselves (id, pattern, what it catches, what it needs).
import { RULES } from '../src/diagnose/rules/index.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log('| P | rule | catches | needs |');
console.log('|---|---|---|---|');
for (const r of RULES) console.log(`| ${r.pattern} | \`${r.id}\` | ${cell(r.catches)} | ${cell(r.needsText)} |`);
