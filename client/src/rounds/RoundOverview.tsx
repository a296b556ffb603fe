/** A round at a root: the picker, the trail, the headline bars, the unions below and (for reviewers) the chase list. */
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { ChaseList } from './ChaseList.tsx';
import { day, when } from '../format.ts';
import { routeHash, type RoundRoute } from './route.ts';
import { StatusBars } from './StatusBars.tsx';
import { UnionTable } from './UnionTable.tsx';
import { useChaseList, useOverview, type RoundSummary, type Setup } from './useRoundData.ts';
import { allowedOn, useTrail } from './useTrail.ts';

interface Props {
  lang: Lang;
  rounds: RoundSummary[];
  roundId: string;
  setup: Setup;
  go: (r: RoundRoute) => void;
}

function RoundPicker({ rounds, roundId, lang, go }: Omit<Props, 'setup'>) {
  return (
    <label className="round-picker">
      {t('round.pick', lang)}{' '}
      <select value={roundId} onChange={(e) => go({ roundId: e.target.value, unionCode: null })} name="round">
        {rounds.map((r) => (
          <option key={r.id} value={r.id}>{r.name}</option>
        ))}
      </select>
    </label>
  );
}

export function RoundOverview({ lang, rounds, roundId, setup, go }: Props) {
  const { trail, root, drill, upTo } = useTrail(setup.me.grants);
  const overview = useOverview(roundId, root?.code ?? null);
  const reviews = allowedOn(setup.me.grants, 'approve', trail);
  const chase = useChaseList(roundId, root?.code ?? null, reviews);
  const round = overview.data;
  const unitHref = (code: string) => routeHash({ roundId, unionCode: code });
  const deepest = round ? Math.max(...round.levels) : 0;
  const rowLevel = round?.completeness.union.level !== undefined ? round.completeness.union.level + 1 : 0;
  return (
    <main className="rounds">
      <div className="toolbar">
        <RoundPicker rounds={rounds} roundId={roundId} lang={lang} go={go} />
        <nav className="trail" aria-label={t('round.view', lang)}>
          {trail.map((c, k) => (
            <span key={c.code}>
              {k > 0 && ' › '}
              {k < trail.length - 1 ? <button type="button" className="link" onClick={() => upTo(k)}>{c.name}</button> : <strong>{c.name}</strong>}
            </span>
          ))}
        </nav>
        {round && (
          <span className="round-when" data-testid="round-when">
            {t('round.deadline', lang)}: <strong>{day(round.deadline, lang)}</strong> · {t('round.asOf', lang)} {when(round.now, lang)}
          </span>
        )}
        {root && root.level > 0 && <a href={unitHref(root.code)}>{t('round.ownPage', lang)}: {root.name}</a>}
        {!round && overview.error === null && <span className="loading">{t('loading', lang)}</span>}
        {overview.error !== null && <span role="alert">{failureText(overview.error, lang)}</span>}
      </div>
      {round && (
        <div className="rounds-body">
          <StatusBars completeness={round.completeness} lang={lang} />
          <div className="rounds-columns">
            <UnionTable
              key={`${roundId}|${root?.code}`}
              rows={round.submissions}
              below={round.completenessBelow}
              lang={lang}
              unitHref={unitHref}
              onDrill={deepest > rowLevel ? (u) => drill({ code: u.code, name: u.name, level: u.level }) : null}
            />
            {reviews && <ChaseList roundId={roundId} root={root!.code} entries={chase.data} error={chase.error} lang={lang} unitHref={unitHref} />}
          </div>
        </div>
      )}
    </main>
  );
}
