/**
 * The "Đợt báo cáo" tab: a round's overview at a root, or a union's page, as the address says
 * (`#/rounds/<roundId>[/<unionCode>]`). Without a round in the address, the latest round.
 */
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { useSetupData } from '../sheet/useSetup.ts';
import { useRoundRoute } from './route.ts';
import { RoundOverview } from './RoundOverview.tsx';
import { UnitPage } from './UnitPage.tsx';
import type { SheetCell } from './UnitParts.tsx';
import { useRounds } from './useRoundData.ts';
import './rounds.css';

export type { SheetCell } from './UnitParts.tsx';

export function Rounds({ lang, onOpenSheet }: { lang: Lang; onOpenSheet: (cell: SheetCell) => void }) {
  const [route, go] = useRoundRoute();
  const rounds = useRounds();
  const setup = useSetupData();
  const roundId = route.roundId ?? rounds.data?.[0]?.id ?? null;
  if (route.roundId && route.unionCode) {
    return <UnitPage key={`${route.roundId}|${route.unionCode}`} lang={lang} roundId={route.roundId} unionCode={route.unionCode} setup={setup.data} onOpenSheet={onOpenSheet} />;
  }
  const error = rounds.error ?? setup.error;
  if (error !== null) return <main className="rounds"><p role="alert" className="rounds-message">{failureText(error, lang)}</p></main>;
  if (!rounds.data || !setup.data) return <main className="rounds"><p className="loading rounds-message">{t('loading', lang)}</p></main>;
  if (!roundId) return <main className="rounds"><p className="rounds-message">{t('round.none', lang)}</p></main>;
  const round = rounds.data.find((r) => r.id === roundId);
  if (!round) return <main className="rounds"><p role="alert" className="rounds-message">{t('round.notFound', lang)}</p></main>;
  return <RoundOverview lang={lang} rounds={rounds.data} round={round} setup={setup.data} go={go} />;
}
