// PID → value for the join and the graph. Linux PIDs stay below pid_max, at most 4194304 (2^22),
// and listings print them nearly in order, so a flat table indexed by PID beats a Map: a million
// `ps aux` rows meant a million Map inserts with cache misses on every one. PIDs an input makes up
// beyond 2^22 (untrusted text) go to a Map, so any value still works.

const DENSE_LIMIT = 1 << 22;

export class PidTable<T extends { pid: number }> {
  /** Values in insertion order; delete leaves a hole until the next values(). */
  private list: (T | undefined)[] = [];
  private holes = 0;
  /** PID → index in `list` + 1 (0: absent), for PIDs below DENSE_LIMIT. */
  private slots = new Int32Array(1024);
  private far: Map<number, number> | null = null;

  private slotOf(pid: number): number {
    if (isDense(pid)) return pid < this.slots.length ? this.slots[pid] : 0;
    return this.far?.get(pid) ?? 0;
  }

  get(pid: number): T | undefined {
    const i = this.slotOf(pid);
    return i === 0 ? undefined : this.list[i - 1];
  }

  has(pid: number): boolean {
    return this.slotOf(pid) !== 0;
  }

  /** Adds a value for a PID not in the table (the join only adds new PIDs). */
  add(pid: number, value: T): void {
    this.list.push(value);
    const i = this.list.length;
    if (isDense(pid)) {
      if (pid >= this.slots.length) {
        let n = this.slots.length * 2;
        while (n <= pid) n *= 2;
        const grown = new Int32Array(Math.min(n, DENSE_LIMIT));
        grown.set(this.slots);
        this.slots = grown;
      }
      this.slots[pid] = i;
    } else {
      (this.far ??= new Map()).set(pid, i);
    }
  }

  delete(pid: number): void {
    const i = this.slotOf(pid);
    if (i === 0) return;
    this.list[i - 1] = undefined;
    this.holes++;
    if (isDense(pid)) this.slots[pid] = 0;
    else this.far?.delete(pid);
  }

  /** The live values in insertion order, as an array (a copy only after deletes). */
  values(): T[] {
    if (this.holes > 0) {
      const live: T[] = [];
      for (const v of this.list) if (v !== undefined) live.push(v);
      this.list = live;
      this.holes = 0;
      this.slots.fill(0);
      this.far?.clear();
      for (let k = 0; k < live.length; k++) {
        const pid = live[k].pid;
        if (isDense(pid)) this.slots[pid] = k + 1;
        else (this.far ??= new Map()).set(pid, k + 1);
      }
    }
    return this.list as T[];
  }
}

/** A whole number in [0, 2^22): `>>> 0` keeps only those equal to themselves. */
function isDense(pid: number): boolean {
  return pid >>> 0 === pid && pid < DENSE_LIMIT;
}
