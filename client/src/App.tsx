/**
 * Placeholder until the spreadsheet lands: sign in, then the level-1 units' members and
 * grassroots unions for one year from the grid query, in vi-VN number format.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';

interface Row {
  unionCode: string;
  name: string;
  level: number;
  values: (number | null)[];
}

const GRID = `query ($year: Int!) {
  grid(root: "TLD", depth: 1, years: [$year], indicators: ["members", "grassroots"]) {
    rows { unionCode name level values }
  }
}`;

function csrfToken(): string {
  return decodeURIComponent(/(?:^|; )uh_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      await graphql('mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }', { u: form.get('username'), p: form.get('password') });
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form onSubmit={submit}>
      <h2>Đăng nhập</h2>
      <label>Tên đăng nhập <input name="username" autoComplete="username" required /></label>{' '}
      <label>Mật khẩu <input name="password" type="password" autoComplete="current-password" required /></label>{' '}
      <button type="submit">Đăng nhập</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(csrfToken() !== '');
  const [year, setYear] = useState(2014);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!signedIn) return;
    setRows(null);
    setError(null);
    graphql<{ grid: { rows: Row[] } }>(GRID, { year })
      .then((d) => setRows(d.grid.rows))
      .catch((e: Error) => setError(e.message));
  }, [year, signedIn]);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '1.5rem' }}>
      <h1>UnionHub — Phát triển đoàn viên</h1>
      {!signedIn ? (
        <SignIn onSignedIn={() => setSignedIn(true)} />
      ) : (
        <>
          <p>
            Năm{' '}
            <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
              {[2013, 2014, 2015, 2016, 2017].map((y) => (
                <option key={y}>{y}</option>
              ))}
            </select>
          </p>
          {error && <p role="alert">Lỗi: {error}</p>}
          {!rows && !error && <p>Đang tải…</p>}
          {rows && (
            <table>
              <thead>
                <tr>
                  <th align="left">Đơn vị</th>
                  <th align="right">Đoàn viên</th>
                  <th align="right">CĐCS</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.unionCode} style={{ fontWeight: r.level === 0 ? 'bold' : undefined }}>
                    <td>{r.name}</td>
                    <td align="right">{formatViNumber(r.values[0])}</td>
                    <td align="right">{formatViNumber(r.values[1])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </main>
  );
}
