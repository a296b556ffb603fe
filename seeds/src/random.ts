/** Deterministic randomness: the same seed code always yields the same figures. */
export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

export class Random {
  private state: number;
  constructor(seed: number | string) {
    this.state = typeof seed === 'string' ? hashString(seed) : seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return Math.floor(this.between(lo, hi + 1));
  }
  /** 1 ± spread */
  noise(spread: number): number {
    return 1 + spread * (2 * this.next() - 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/**
 * Split an integer total into parts proportional to weights, exactly (largest remainder).
 * Parts never exceed their cap when caps are given and the caps can hold the total.
 */
export function allocate(total: number, weights: readonly number[], caps?: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  const raw = weights.map((w) => (sum > 0 ? (total * w) / sum : total / weights.length));
  const parts = raw.map((r, i) => Math.min(Math.floor(r), caps ? caps[i]! : Infinity));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  while (rest > 0) {
    let moved = false;
    for (const [, i] of order) {
      if (rest === 0) break;
      if (caps && parts[i]! >= caps[i]!) continue;
      parts[i]!++;
      rest--;
      moved = true;
    }
    if (!moved) throw new Error(`cannot allocate ${total} within caps`);
  }
  return parts;
}
