/** Timing helpers: medians of repeated runs, and a baseline measured in the same run. */
export interface Timing {
  median: number;
  min: number;
  runs: number;
}

export async function time(fn: () => Promise<unknown>, runs = 15, warmup = 3): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[samples.length >> 1]!, min: samples[0]!, runs };
}

export function report(name: string, subject: Timing, baseline: Timing, goal: string, extra = ''): string {
  const ratio = subject.median / baseline.median;
  return `${name}: ${subject.median.toFixed(1)} ms vs baseline ${baseline.median.toFixed(1)} ms → ${ratio.toFixed(2)}× (goal ${goal})${extra ? `; ${extra}` : ''}`;
}
