/** A round at a root: the picker, the trail, the headline bars, the unions below and (for reviewers) the chase list. */
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { can } from '../sheet/permissions.ts';
import { grantsOf, type SetupData } from '../sheet/useSetup.ts';
import { ChaseList } from './ChaseList.tsx';
import { day, when } from '../format.ts';
import { routeHash, type RoundRoute } from './route.ts';
import { StatusBars } from './StatusBars.tsx';
import { UnionTable } from './UnionTable.tsx';
import { useOverview, type RoundSummary } from './useRoundData.ts';
import { useTrail } from './useTrail.ts';

interface Props {
  lang: Lang;
  rounds: RoundSummary[];
  round: RoundSummary;
  setup: SetupData;
  go: (r: RoundRoute) => void;
}

function RoundPicker({ rounds, round, lang, go }: Omit<Props, 'setup'>) {
  return (
    <label className="round-picker">
      {t('round.pick', lang)}{' '}
      <select value={round.id} onChange={(e) => go({ roundId: e.target.value, unionCode: null })} name="round">
        {rounds.map((r) => (
          <option key={r.id} value={r.id}>{r.name}</option>
        ))}
      </select>
    </label>
  );
}

export function RoundOverview({ lang, rounds, round, setup, go }: Props) {
  const { trail, root, above, drill, upTo } = useTrail(setup.me.grants);
  // A grant with approve on the root or above it: the caller reviews the root and may chase.
  const reviews = can(grantsOf(setup), 'approve', root.code, above);
  const overview = useOverview(round.id, root.code, reviews);
  const figures = overview.data;
  const unitHref = (code: string) => routeHash({ roundId: round.id, unionCode: code });
  const deepest = Math.max(...round.levels);
  const rowLevel = root.level + 1;
  return (
    <main className="rounds">
      <div className="toolbar">
        <RoundPicker rounds={rounds} round={round} lang={lang} go={go} />
        <nav className="trail" aria-label={t('round.view', lang)}>
          {trail.map((c, k) => (
            <span key={c.code}>
              {k > 0 && ' › '}
              {k < trail.length - 1 ? <button type="button" className="link" onClick={() => upTo(k)}>{c.name}</button> : <strong>{c.name}</strong>}
            </span>
          ))}
        </nav>
        <span className="round-when" data-testid="round-when">
          {t('round.deadline', lang)}: <strong>{day(round.deadline, lang)}</strong>
          {figures && <> · {t('round.asOf', lang)} {when(figures.now, lang)}</>}
        </span>
        {root.level > 0 && <a href={unitHref(root.code)}>{t('round.ownPage', lang)}: {root.name}</a>}
        {!figures && overview.error === null && <span className="loading">{t('loading', lang)}</span>}
        {overview.error !== null && <span role="alert">{failureText(overview.error, lang)}</span>}
      </div>
      {figures && (
        <div className="rounds-body">
          <StatusBars completeness={figures.completeness} lang={lang} />
          <div className="rounds-columns">
            <UnionTable
              key={`${round.id}|${root.code}`}
              rows={figures.submissions}
              below={figures.completenessBelow}
              lang={lang}
              unitHref={unitHref}
              onDrill={deepest > rowLevel ? (u) => drill({ code: u.code, name: u.name, level: u.level }) : null}
            />
            {figures.chaseList && <ChaseList roundId={round.id} root={root.code} entries={figures.chaseList} lang={lang} unitHref={unitHref} />}
          </div>
        </div>
      )}
    </main>
  );
}
