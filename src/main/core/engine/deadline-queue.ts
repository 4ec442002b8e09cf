// A min-heap of (deadline, accountId) with an index, so one account's deadline can
// be moved or removed in O(log n). The engine keeps ONE timer for its head.

interface Entry {
  id: string;
  at: number;
}

export class DeadlineQueue {
  private heap: Entry[] = [];
  private index = new Map<string, number>();

  get size(): number {
    return this.heap.length;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  deadlineOf(id: string): number | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.heap[i]?.at;
  }

  /** Inserts or moves an account's deadline. */
  set(id: string, at: number): void {
    const i = this.index.get(id);
    if (i === undefined) {
      this.heap.push({ id, at });
      this.index.set(id, this.heap.length - 1);
      this.up(this.heap.length - 1);
      return;
    }
    const entry = this.heap[i]!;
    const old = entry.at;
    entry.at = at;
    if (at < old) this.up(i);
    else this.down(i);
  }

  delete(id: string): boolean {
    const i = this.index.get(id);
    if (i === undefined) return false;
    const last = this.heap.pop()!;
    this.index.delete(id);
    if (i < this.heap.length) {
      this.heap[i] = last;
      this.index.set(last.id, i);
      this.down(i);
      this.up(i);
    }
    return true;
  }

  peek(): Readonly<Entry> | undefined {
    return this.heap[0];
  }

  /** Removes and returns every entry due at or before `now`, earliest first. */
  popDue(now: number): Entry[] {
    const due: Entry[] = [];
    while (this.heap.length && this.heap[0]!.at <= now) {
      const head = this.heap[0]!;
      this.delete(head.id);
      due.push(head);
    }
    return due;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < h.length && h[l]!.at < h[min]!.at) min = l;
      if (r < h.length && h[r]!.at < h[min]!.at) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }

  private swap(a: number, b: number): void {
    const h = this.heap;
    [h[a], h[b]] = [h[b]!, h[a]!];
    this.index.set(h[a]!.id, a);
    this.index.set(h[b]!.id, b);
  }
}
