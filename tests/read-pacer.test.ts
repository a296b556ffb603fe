/**
 * Grid reads yield to writes (server/src/db/read-pacer.ts): while writes are busy, one read at a
 * time and a rest after each, so that reads take at most their share of the time; without writes,
 * no waiting at all. On a fake clock: each read "takes" the time the test advances.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReadPacer } from '../server/src/db/read-pacer.js';

describe('reads paced while writes are busy', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  /** A read that ends when `finish()` is called; `started` says whether it began. */
  function reads(pacer: ReadPacer, n: number) {
    return Array.from({ length: n }, () => {
      const r = { started: false, done: false, finish: () => {} };
      void pacer.run(() => new Promise<void>((ok) => {
        r.started = true;
        r.finish = ok;
      })).then(() => (r.done = true));
      return r;
    });
  }
  const settle = () => vi.advanceTimersByTimeAsync(0);

  it('without writes, every read starts at once', async () => {
    const pacer = new ReadPacer(0.5, () => false, () => Date.now());
    const rs = reads(pacer, 3);
    await settle();
    expect(rs.map((r) => r.started)).toEqual([true, true, true]);
    expect(pacer.held).toBe(0);
  });

  it('with writes, one at a time, each after a rest as long as the last read took at share 0.5 (three times as long at 0.25)', async () => {
    for (const [share, restOf100] of [[0.5, 100], [0.25, 300]] as const) {
      const pacer = new ReadPacer(share, () => true, () => Date.now());
      const rs = reads(pacer, 3);
      await settle();
      expect(rs.map((r) => r.started)).toEqual([true, false, false]);
      await vi.advanceTimersByTimeAsync(100);
      rs[0]!.finish();
      await settle();
      expect(rs[0]!.done).toBe(true);
      expect(rs[1]!.started).toBe(false);
      await vi.advanceTimersByTimeAsync(restOf100 - 1);
      expect(rs[1]!.started).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(rs.map((r) => r.started)).toEqual([true, true, false]);
      expect(pacer.held).toBe(1);
      rs[1]!.finish();
    }
  });

  it('reads held back go as soon as the writes are done (within the rest under way)', async () => {
    let writing = true;
    const pacer = new ReadPacer(0.5, () => writing, () => Date.now());
    const rs = reads(pacer, 4);
    await vi.advanceTimersByTimeAsync(200);
    rs[0]!.finish();
    await settle();
    expect(rs.slice(1).map((r) => r.started)).toEqual([false, false, false]);
    writing = false;
    await vi.advanceTimersByTimeAsync(200);
    expect(rs.map((r) => r.started)).toEqual([true, true, true, true]);
  });

  it('a read in flight when writes begin is let finish before the next one starts', async () => {
    let writing = false;
    const pacer = new ReadPacer(0.5, () => writing, () => Date.now());
    const [first] = reads(pacer, 1);
    await settle();
    writing = true;
    const [second] = reads(pacer, 1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(second!.started).toBe(false);
    first!.finish();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(second!.started).toBe(true);
  });

  it('share 1: never held, writes or not', async () => {
    const pacer = new ReadPacer(1, () => true, () => Date.now());
    const rs = reads(pacer, 3);
    await settle();
    expect(rs.map((r) => r.started)).toEqual([true, true, true]);
  });
});
