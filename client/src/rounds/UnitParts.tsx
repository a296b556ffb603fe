/** The parts of a union's page: its facts, what still blocks it (each item opens the sheet at its cell), its trail. */
import { BLOCKER_KINDS, submissionStatusLabel } from '@unionhub/schema';
import { t, type Lang, type Word } from '../i18n.ts';
import { day, num, percent, when } from '../format.ts';
import type { Unit } from './useRoundData.ts';
import type { Blocker } from './useUnitActions.ts';
import type { SheetAt } from '../sheet/Sheet.tsx';

/** Where the sheet opens: the union's row, the indicator's column of the year, in the scenario's mode. */
export type SheetCell = SheetAt;

export function UnitFacts({ unit: u, lang }: { unit: Unit; lang: Lang }) {
  return (
    <dl className="unit-facts">
      <dt>{t('round.status', lang)}</dt>
      <dd><span className={`status-chip status-${u.status}`} data-testid="unit-status" data-status={u.status}>{submissionStatusLabel(u.status, lang)}</span></dd>
      <dt>{t('round.deadline', lang)}</dt>
      <dd data-testid="unit-deadline">
        {day(u.deadline, lang)}
        {u.extension && (
          <span className="muted">
            {' '}({t('round.originalDeadline', lang)} {day(u.originalDeadline, lang)}; {t('round.extendedTo', lang).toLowerCase()} {day(u.extension.deadline, lang)} — {u.extension.reason}, {t('round.grantedBy', lang)} {u.extension.grantedBy})
          </span>
        )}
      </dd>
      <dt>{t('round.firstSubmitted', lang)}</dt>
      <dd>{u.firstSubmittedAt ? when(u.firstSubmittedAt, lang) : t('round.notYet', lang)}</dd>
      <dt>{t('round.lastSubmitted', lang)}</dt>
      <dd>{u.lastSubmittedAt ? when(u.lastSubmittedAt, lang) : t('round.notYet', lang)}</dd>
      <dt>{t('round.daysLate', lang)}</dt>
      <dd>{u.daysLate !== null && u.daysLate > 0 ? num(u.daysLate, lang) : '—'}</dd>
      <dt>{t('round.cellsFilled', lang)}</dt>
      <dd>{num(u.cellsFilled, lang)} / {num(u.cellsExpected, lang)} ({percent(u.cellsFilled, u.cellsExpected, lang)})</dd>
      <dt>{t('round.cellsApproved', lang)}</dt>
      <dd>{num(u.cellsApproved, lang)} / {num(u.cellsExpected, lang)} ({percent(u.cellsApproved, u.cellsExpected, lang)})</dd>
    </dl>
  );
}

const kindLabel = (kind: Blocker['kind'], lang: Lang) => {
  const k = BLOCKER_KINDS.find((x) => x.kind === kind)!;
  return lang === 'vi' ? k.labelVi : k.labelEn;
};

function BlockerItem({ b, indicatorLabel, lang, onOpen }: { b: Blocker; indicatorLabel: (code: string) => string; lang: Lang; onOpen: (cell: SheetCell) => void }) {
  const where = [b.indicatorCode ? indicatorLabel(b.indicatorCode) : b.sectionCode, b.year, b.scenario ? t(b.scenario === 'TARGET' ? 'target' : 'actual', lang).toLowerCase() : null].filter((x) => x !== null && x !== undefined);
  const cell = b.indicatorCode && b.year !== null ? { unionCode: b.unionCode, year: b.year, indicatorCode: b.indicatorCode, scenario: b.scenario === 'TARGET' ? ('TARGET' as const) : ('ACTUAL' as const) } : null;
  return (
    <li data-kind={b.kind} data-cell={cell ? `${cell.indicatorCode}|${cell.year}|${cell.scenario}` : undefined}>
      <span className="blocker-kind">{kindLabel(b.kind, lang)}:</span> {where.join(', ')}
      {cell && (
        <button type="button" className="link open-cell" onClick={() => onOpen(cell)}>
          {t('round.openCell', lang)}
        </button>
      )}
    </li>
  );
}

export function BlockerList({ blockers, canSubmit, indicatorLabel, lang, onOpen }: { blockers: Blocker[]; canSubmit: boolean; indicatorLabel: (code: string) => string; lang: Lang; onOpen: (cell: SheetCell) => void }) {
  return (
    <section className="unit-blockers" aria-labelledby="unit-blockers-title" data-testid="unit-blockers" data-count={blockers.length}>
      <h3 id="unit-blockers-title" tabIndex={-1}>
        {t('round.blockers', lang)} {blockers.length > 0 && <span className="chip open-discrepancies">{num(blockers.length, lang)} {t('round.items', lang)}</span>}
      </h3>
      {blockers.length === 0 ? (
        <p className="ok">{t('round.noBlockers', lang)} {canSubmit && t('round.canSubmitNow', lang)}</p>
      ) : (
        <ul className="blockers">
          {blockers.map((b) => (
            <BlockerItem key={`${b.kind}|${b.indicatorCode}|${b.year}|${b.scenario}|${b.discrepancyId}|${b.sectionCode}`} b={b} indicatorLabel={indicatorLabel} lang={lang} onOpen={onOpen} />
          ))}
        </ul>
      )}
    </section>
  );
}

const EVENT_WORDS: Record<string, Word> = { SUBMITTED: 'round.event.SUBMITTED', RETURNED: 'round.event.RETURNED', EXTENDED: 'round.event.EXTENDED' };

export function History({ history, lang }: { history: Unit['history']; lang: Lang }) {
  return (
    <section className="unit-history" aria-labelledby="unit-history-title">
      <h3 id="unit-history-title">{t('round.history', lang)}</h3>
      {history.length === 0 ? (
        <p className="muted">{t('round.noHistory', lang)}</p>
      ) : (
        <ol className="history" data-testid="unit-history">
          {history.map((e, k) => (
            <li key={k} data-kind={e.kind}>
              <time dateTime={e.at}>{when(e.at, lang)}</time> — <strong>{EVENT_WORDS[e.kind] ? t(EVENT_WORDS[e.kind]!, lang) : e.kind}</strong> · {e.by}
              {e.reason && <span className="reason"> — {e.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
