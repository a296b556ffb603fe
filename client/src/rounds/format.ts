/** A typed deadline as the round's pages read it (numbers and instants: ../format.ts). */
import { deadlineInstant } from '@unionhub/schema';

/** A typed date, "20/12/2017" (as the department writes it) or "2017-12-20", as "2017-12-20"; null when it is no real date. */
export function parseDay(input: string): string | null {
  const s = input.trim();
  const vi = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const date = vi ? `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : iso ? s : null;
  return date && deadlineInstant(date) ? date : null;
}
