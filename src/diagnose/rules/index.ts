// Every rule, one file each, file name = rule id (DESIGN.md). Order here is heuristics.md order.
import type { Rule } from '../types.ts';

export const RULES: readonly Rule[] = [
];
