import { describe, expect, it } from 'vitest';
import { bySlot } from './slots.ts';

const window = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i }));

describe('recycled row slots', () => {
  it('gives each row on screen its own slot, in an order that does not change while scrolling', () => {
    const slots = 8;
    const a = bySlot(window(0, 7), slots).map((x) => x.index % slots);
    const b = bySlot(window(5, 12), slots).map((x) => x.index % slots);
    expect(a).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(b).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('puts the row scrolled in where the row scrolled out was', () => {
    const before = bySlot(window(10, 15), 6);
    const after = bySlot(window(11, 16), 6);
    // Row 10 leaves slot 4 and row 16 takes it; rows 11–15 keep their slots and their places.
    expect(before.map((x) => x.index)).toEqual([12, 13, 14, 15, 10, 11]);
    expect(after.map((x) => x.index)).toEqual([12, 13, 14, 15, 16, 11]);
  });

  it('keeps every item when the window is smaller than the slots', () => {
    expect(bySlot(window(3, 4), 10).map((x) => x.index)).toEqual([3, 4]);
    expect(bySlot([], 4)).toEqual([]);
  });
});
