/**
 * Reads yield to writes (issue 17). A grid worker's thread is niced, but a read also runs SQLite on
 * libuv's threads and V8's collector threads, at the server's priority: ten sheets read in a closed
 * loop took a core the writes needed. So while the database's writes are busy, grid reads go one at a
 * time, and after each the readers rest until they have read at most `share` of the time. Without
 * writes, reads go at once, as many as come; a read held back waits at most its rest.
 */
export class ReadPacer {
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private restUntil = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** The part of the time reads may take while writes are busy, (0, 1]; 1: no pacing. */
    private readonly share: number,
    /** Are writes waiting or running now? */
    private readonly writing: () => boolean,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `read`, run when its turn comes: at once (in this call) when it need not wait. */
  run<T>(read: () => Promise<T>): Promise<T> {
    // Counted in `running` from the moment its turn is given.
    const wait = this.turn();
    return wait ? wait.then(() => this.timed(read)) : this.timed(read);
  }

  private async timed<T>(read: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await read();
    } finally {
      this.running--;
      const ended = this.now();
      this.restUntil = Math.max(this.restUntil, ended + (ended - started) * (1 / this.share - 1));
      this.next();
    }
  }

  /** Reads held back now (tests, metrics). */
  get held(): number {
    return this.waiting.length;
  }

  /** Null when the read may go now (counted already), else when its turn comes. */
  private turn(): Promise<void> | null {
    if (this.share >= 1 || (this.waiting.length === 0 && !this.writing())) {
      this.running++;
      return null;
    }
    return new Promise<void>((go) => {
      this.waiting.push(go);
      this.next();
    });
  }

  private next(): void {
    if (this.timer || this.waiting.length === 0) return;
    if (!this.writing()) {
      const all = this.waiting.splice(0);
      this.running += all.length;
      for (const go of all) go();
      return;
    }
    // One at a time: the read in flight calls next() when it ends.
    if (this.running > 0) return;
    const rest = this.restUntil - this.now();
    if (rest > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.next();
      }, rest);
      return;
    }
    this.running++;
    this.waiting.shift()!();
  }
}
