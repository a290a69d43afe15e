// Recycled rows for the virtualized tree and table. A row's React key is its slot (its index
// modulo the number of slots), not its process: the row scrolling out hands its DOM elements to
// the row scrolling in, so a scrolled frame changes a few texts and attributes instead of
// creating and dropping hundreds of elements. Rows are rendered in slot order, so the DOM order
// never changes either (moving an element makes the browser rebuild its layout); their position
// comes from a transform, and aria-rowindex / aria-level keep the order for assistive tech.
import { useRef } from 'react';

/** How many slots: at least as many as rows ever shown at once; only grows, so keys stay put. */
export function useSlots(shown: number): number {
  const n = useRef(0);
  n.current = Math.max(n.current, shown);
  return n.current;
}

/**
 * The rendered items in slot order. Items are consecutive indexes (a virtualizer's window), and
 * there are at most `slots` of them, so each slot holds one item.
 */
export function bySlot<T extends { index: number }>(items: readonly T[], slots: number): T[] {
  if (slots <= 0) return [];
  const out: (T | undefined)[] = new Array(slots);
  for (const it of items) out[it.index % slots] = it;
  return out.filter((x): x is T => x !== undefined);
}
