/**
 * Placeholder until the spreadsheet lands: the level-1 units' members for one year,
 * read from the grid query, in vi-VN number format.
 */
import { useEffect, useState } from 'react';
import { formatViNumber } from '@unionhub/schema/numbers';

interface Row {
  unionCode: string;
  name: string;
  level: number;
  values: (number | null)[];
}

const QUERY = `query ($year: Int!) {
  grid(root: "TLD", depth: 1, years: [$year], indicators: ["members", "grassroots"]) {
    rows { unionCode name level values }
  }
}`;

export function App() {
  const [year, setYear] = useState(2014);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setRows(null);
    setError(null);
    fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY, variables: { year } }) })
      .then((r) => r.json())
      .then((body: { data?: { grid: { rows: Row[] } }; errors?: { message: string }[] }) => {
        if (body.errors?.length) setError(body.errors.map((e) => e.message).join('; '));
        else setRows(body.data!.grid.rows);
      })
      .catch((e: Error) => setError(e.message));
  }, [year]);

  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', margin: '1.5rem' }}>
      <h1>UnionHub — Phát triển đoàn viên</h1>
      <p>
        Năm{' '}
        <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
          {[2013, 2014, 2015, 2016, 2017].map((y) => (
            <option key={y}>{y}</option>
          ))}
        </select>{' '}
        — <a href="/graphql">GraphQL</a>
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
    </main>
  );
}
