/** A per-request batching loader: keys asked for in the same tick are fetched in one query. */
export class Loader<K, V> {
  private cache = new Map<K, Promise<V | undefined>>();
  private queue: { key: K; resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[] = [];

  constructor(private readonly batch: (keys: K[]) => Promise<(V | undefined)[]>) {}

  load(key: K): Promise<V | undefined> {
    let p = this.cache.get(key);
    if (!p) {
      p = new Promise((resolve, reject) => {
        this.queue.push({ key, resolve, reject });
        if (this.queue.length === 1) queueMicrotask(() => void this.dispatch());
      });
      this.cache.set(key, p);
    }
    return p;
  }

  private async dispatch(): Promise<void> {
    const queue = this.queue;
    this.queue = [];
    try {
      const values = await this.batch(queue.map((q) => q.key));
      queue.forEach((q, i) => q.resolve(values[i]));
    } catch (e) {
      queue.forEach((q) => q.reject(e));
    }
  }
}
