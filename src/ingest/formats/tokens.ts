// Whitespace tokens of a line as start/end offsets into reused arrays: the table parsers (top,
// busybox ps/top) read cells from offsets, with no per-cell string or regex.

/** Token start/end offsets of a line, into reused arrays; returns the count. */
export function tokenize(line: string, starts: number[], ends: number[]): number {
  let count = 0;
  let k = 0;
  const len = line.length;
  while (k < len) {
    while (k < len && (line.charCodeAt(k) === 32 || line.charCodeAt(k) === 9)) k++;
    if (k >= len) break;
    starts[count] = k;
    while (k < len && line.charCodeAt(k) !== 32 && line.charCodeAt(k) !== 9) k++;
    ends[count] = k;
    count++;
  }
  return count;
}
