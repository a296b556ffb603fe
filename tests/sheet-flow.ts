/**
 * The sheet's loading as a user meets it, shared by tests/sheet-load.browser.test.ts (counts) and
 * bench/sheet.ts (times). Relies only on what a user sees — the toolbar's labels, the year selects,
 * "Đang tải…" — and on `window.unionhubSheet` (the grid's API) to count the rows in the grid's model.
 */
import type { Page, Request } from 'playwright-core';

/** Every /graphql request the page sends: how many, how many refused for the rate limit, how many still open. */
export interface GraphqlWatch {
  /** Requests sent (queries and mutations, streams apart). */
  sent(): number;
  /** Subscriptions opened (event streams). */
  streams(): number;
  /** Answered 429, or with a RATE_LIMITED error in the body. */
  refused(): number;
  /** Requests (streams apart) not yet answered. */
  inFlight(): number;
  /** Requests whose body names `word` (e.g. 'setFigures'), sent since the watch began. */
  named(word: string): { sent: number; answered: number; failed: number };
  /** Wait until every answer seen so far has been read (the refusal count is then final). */
  settle(): Promise<void>;
}

// A subscription asks for an event stream only; urql's queries list text/event-stream among others.
const isStream = (r: Request) => (r.headers()['accept'] ?? '').split(',')[0]!.trim().startsWith('text/event-stream');
const isGraphql = (r: Request) => new URL(r.url()).pathname.endsWith('/graphql');

/** Bytes above which an answer is a sheet's data, never a refusal or a write's answer. */
const LARGE_ANSWER = 64 * 1024;

export function watchGraphql(page: Page): GraphqlWatch {
  let sent = 0;
  let streams = 0;
  let refused = 0;
  const open = new Set<Request>();
  const reading: Promise<void>[] = [];
  const byWord = new Map<Request, { answered: boolean; failed: boolean }>();
  const bodies = new Map<Request, string>();
  page.on('request', (r) => {
    if (!isGraphql(r)) return;
    if (isStream(r)) {
      streams++;
      return;
    }
    sent++;
    open.add(r);
    bodies.set(r, r.postData() ?? decodeURIComponent(r.url()));
    byWord.set(r, { answered: false, failed: false });
  });
  page.on('response', (res) => {
    const r = res.request();
    if (!isGraphql(r) || isStream(r)) return;
    if (res.status() === 429) {
      refused++;
      return;
    }
    // A refusal can also come inside a 200 (a GraphQL error with the rate limit's code): such an answer is
    // small. A sheet's answer (megabytes) is not read here: fetching its body from the page held the page's
    // main thread ~80 ms just as it drew the rows the step waits for.
    if (Number(res.headers()['content-length'] ?? 0) > LARGE_ANSWER) return;
    reading.push(
      res.text().then(
        (text) => {
          if (text.includes('"RATE_LIMITED"')) refused++;
          const b = byWord.get(r);
          if (b && (res.status() >= 400 || /"errors"\s*:/.test(text))) b.failed = true;
        },
        () => undefined,
      ),
    );
  });
  const done = (failed: boolean) => (r: Request) => {
    open.delete(r);
    const b = byWord.get(r);
    if (b) {
      b.answered = true;
      if (failed) b.failed = true;
    }
  };
  page.on('requestfinished', done(false));
  page.on('requestfailed', done(true));
  return {
    sent: () => sent,
    streams: () => streams,
    refused: () => refused,
    inFlight: () => open.size,
    named(word) {
      let n = 0;
      let answered = 0;
      let failed = 0;
      for (const [r, b] of byWord) {
        if (!(bodies.get(r) ?? '').includes(word)) continue;
        n++;
        if (b.answered) answered++;
        if (b.failed) failed++;
      }
      return { sent: n, answered, failed };
    },
    async settle() {
      await Promise.all(reading);
    },
  };
}

/** What the grid holds: the row ids in its model, the rows displayed, and whether a column exists. */
export async function gridState(page: Page, columns: string[] = []): Promise<{ ids: string[]; displayed: number; columns: boolean[]; loading: boolean }> {
  const state = await page.evaluate((cols) => {
    const api = (window as unknown as { unionhubSheet?: { forEachNode(f: (n: { id?: string; data?: unknown }) => void): void; getDisplayedRowCount(): number; getColumn(c: string): unknown } }).unionhubSheet;
    // The toolbar's loading note, found by its class: a text search walks the whole page and, polled
    // every 50 ms, took the page's main thread from the sheet it measures (~0.1 s a step).
    const loading = document.querySelector('.sheet .loading') !== null;
    if (!api) return { ids: [], displayed: 0, columns: cols.map(() => false), loading };
    const ids: string[] = [];
    api.forEachNode((n) => {
      if (n.data && n.id) ids.push(n.id);
    });
    return { ids, displayed: api.getDisplayedRowCount(), columns: cols.map((c) => Boolean(api.getColumn(c))), loading };
  }, columns);
  return state;
}

/** What a complete sheet holds after a step: every expected row, the years' columns, nothing loading. */
export interface Expected {
  rows: Set<string>;
  /** Column ids that must exist (the shown years) and ids that must not (years no longer shown). */
  present: string[];
  absent: string[];
}

export async function missingRows(page: Page, want: Expected): Promise<{ complete: boolean; present: number; loading: boolean }> {
  const s = await gridState(page, [...want.present, ...want.absent]);
  const ids = new Set(s.ids);
  let present = 0;
  for (const id of want.rows) if (ids.has(id)) present++;
  const columnsRight = s.columns.every((has, i) => has === i < want.present.length);
  return { complete: present === want.rows.size && s.displayed >= want.rows.size && columnsRight && !s.loading, present, loading: s.loading };
}

export interface StepResult {
  /** ms from the action to the first moment the sheet was complete (and stayed so); null if it never was. */
  ms: number | null;
  /** Expected rows present when the step ended. */
  present: number;
  expected: number;
}

/**
 * Wait until the sheet is complete and has stayed so for `stable` ms with no request open (a click's
 * request can start a moment after the click), or until nothing happens for `stall` ms while it is
 * still incomplete (no request open, nothing loading: the sheet gave up), or `timeout`.
 */
export async function untilComplete(page: Page, watch: GraphqlWatch, want: Expected, started: number, opts: { stable?: number; stall?: number; timeout?: number } = {}): Promise<StepResult> {
  const { stable = 100, stall = 3_000, timeout = 15_000 } = opts;
  let completeSince: number | null = null;
  let idleSince: number | null = null;
  let present: number;
  for (;;) {
    const s = await missingRows(page, want);
    // The moment the check answered: a check that began before the rows landed and saw them must not date them earlier.
    const now = performance.now();
    present = s.present;
    const idle = watch.inFlight() === 0 && !s.loading;
    if (s.complete && watch.inFlight() === 0) {
      completeSince ??= now;
      if (now - completeSince >= stable) return { ms: completeSince - started, present, expected: want.rows.size };
    } else completeSince = null;
    if (idle && !s.complete) {
      idleSince ??= now;
      if (now - idleSince >= stall) break;
    } else idleSince = null;
    if (now - started > timeout) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ms: null, present, expected: want.rows.size };
}

export const MODE_ACHIEVED = '% thực hiện';

/** The four actions of issue 13's item 1, one after another, each once the sheet is complete again (or gave up). */
export function loadSteps(page: Page): { name: string; act(): Promise<void> }[] {
  return [
    { name: 'Mở tất cả', act: () => page.getByRole('button', { name: 'Mở tất cả' }).click() },
    { name: MODE_ACHIEVED, act: () => page.getByRole('radio', { name: MODE_ACHIEVED }).check() },
    { name: 'Từ năm 2014', act: async () => void (await page.getByLabel('Từ năm').selectOption('2014')) },
    { name: 'Từ năm 2015', act: async () => void (await page.getByLabel('Từ năm').selectOption('2015')) },
  ];
}

/** The rows and columns each step must end with: unions to level 2 (read from the server) and the years' columns. */
export async function expectedAfterSteps(gql: (query: string, variables: Record<string, unknown>) => Promise<{ data?: any }>): Promise<Expected[]> {
  const rows = async (from: number) => {
    const years = Array.from({ length: 2017 - from + 1 }, (_, i) => from + i);
    const d = await gql('query ($years: [Int!]!) { grid(root: "TLD", depth: 2, years: $years, indicators: ["members"]) { rows { unionCode level } } }', { years });
    return new Set<string>((d.data!.grid.rows as { unionCode: string }[]).map((r) => r.unionCode));
  };
  const [from13, from14, from15] = [await rows(2013), await rows(2014), await rows(2015)];
  const cols = (from: number) => ({ present: [`members|${from}`, 'members|2017'], absent: from > 2013 ? [`members|${from - 1}`] : [] });
  return [
    { rows: from13, ...cols(2013) },
    { rows: from13, ...cols(2013) },
    { rows: from14, ...cols(2014) },
    { rows: from15, ...cols(2015) },
  ];
}

export interface LoadRun {
  steps: (StepResult & { name: string; error?: string })[];
  /** Sum of the steps' times (action → complete), null if any step never completed. */
  totalMs: number | null;
  sent: number;
  refused: number;
}

/** Run the four steps on a signed-in sheet (collapsed, actual, 2013–2017) and measure each. */
export async function runLoadSteps(page: Page, expected: Expected[], opts: { stall?: number; timeout?: number } = {}): Promise<LoadRun> {
  const watch = watchGraphql(page);
  const steps: LoadRun['steps'] = [];
  for (const [i, step] of loadSteps(page).entries()) {
    const started = performance.now();
    try {
      await step.act();
    } catch (e) {
      // The page did not take the click (busy or gone): the step failed, the run goes on as a user would.
      steps.push({ name: step.name, ms: null, present: 0, expected: expected[i]!.rows.size, error: (e as Error).message.split('\n')[0] });
      continue;
    }
    steps.push({ name: step.name, ...(await untilComplete(page, watch, expected[i]!, started, opts)) });
  }
  await watch.settle();
  const total = steps.every((s) => s.ms !== null) ? steps.reduce((t, s) => t + s.ms!, 0) : null;
  return { steps, totalMs: total, sent: watch.sent(), refused: watch.refused() };
}
