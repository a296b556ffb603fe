/**
 * A union's page in a round (`#/rounds/<roundId>/<unionCode>`, the link reminders carry): where it
 * stands, its deadline and extension, what still blocks it and its history, with the buttons the
 * caller's grants give. A write's answer is the union's new state: shown as it comes, not asked again.
 */
import { useCallback, useEffect } from 'react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { canAnywhere } from '../sheet/permissions.ts';
import { grantsOf, indicatorLabel, type SetupData } from '../sheet/useSetup.ts';
import { routeHash } from './route.ts';
import { BlockerList, History, UnitFacts, type SheetCell } from './UnitParts.tsx';
import { UnitActions } from './UnitActions.tsx';
import { useUnit, type Unit } from './useRoundData.ts';
import { useUnitActions } from './useUnitActions.ts';

interface Props {
  lang: Lang;
  roundId: string;
  unionCode: string;
  setup: SetupData | null;
  onOpenSheet: (cell: SheetCell) => void;
}

export function UnitPage({ lang, roundId, unionCode, setup, onOpenSheet }: Props) {
  const { data, error, update } = useUnit(roundId, unionCode);
  const show = useCallback((unit: Unit) => update((d) => ({ ...d, unit })), [update]);
  const actions = useUnitActions(roundId, unionCode, show);
  const refused = actions.state.refusedBlockers;
  // A refusal listing blockers moves the reader to the list.
  useEffect(() => {
    if (refused) document.getElementById('unit-blockers-title')?.focus();
  }, [refused]);
  // Blockers are unapproved detail: shown to those who read it (the server lists none to anyone else).
  const readsUnapproved = setup !== null && canAnywhere(grantsOf(setup), 'readUnapproved');
  const labels = new Map((setup?.indicators ?? []).map((i) => [i.code, indicatorLabel(i, lang)]));
  const unit = data?.unit;
  return (
    <main className="rounds unit-page">
      <div className="toolbar">
        <a href={routeHash({ roundId, unionCode: null })}>← {t('round.back', lang)}</a>
        {data && <span className="muted">{data.name}</span>}
        {!data && error === null && <span className="loading">{t('loading', lang)}</span>}
        {error !== null && <span role="alert">{failureText(error, lang)}</span>}
      </div>
      {unit && (
        <div className="rounds-body">
          <h2 data-testid="unit-name">{unit.union.name}</h2>
          <div className="unit-columns">
            <div>
              <UnitFacts unit={unit} lang={lang} />
              <UnitActions can={{ submit: unit.canSubmit, return: unit.canReturn, extend: unit.canExtend }} actions={actions} lang={lang} />
              <History history={unit.history} lang={lang} />
            </div>
            {readsUnapproved && <BlockerList blockers={refused ?? unit.blockers} canSubmit={unit.canSubmit} indicatorLabel={(code) => labels.get(code) ?? code} lang={lang} onOpen={onOpenSheet} />}
          </div>
        </div>
      )}
    </main>
  );
}
