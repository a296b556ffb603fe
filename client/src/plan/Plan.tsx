/**
 * The "Kế hoạch 2018–2023" tab (issue 16): the gap view, the allocation and the forecasts, at a root
 * (nationally: TLĐ; a level-1 union drilled into from the gap view).
 */
import { useState } from 'react';
import { t, type Lang, type Word } from '../i18n.ts';
import { useSetupData } from '../sheet/useSetup.ts';
import { AllocationView } from './AllocationView.tsx';
import { ForecastView } from './ForecastView.tsx';
import { GapView } from './GapView.tsx';
import './plan.css';

type Part = 'gap' | 'allocation' | 'forecasts';
const PARTS: { part: Part; word: Word }[] = [{ part: 'gap', word: 'plan.gap' }, { part: 'allocation', word: 'plan.allocation' }, { part: 'forecasts', word: 'plan.forecasts' }];

export function Plan({ lang }: { lang: Lang }) {
  const [part, setPart] = useState<Part>('gap');
  const [union, setUnion] = useState<{ code: string; name: string } | null>(null);
  const root = union?.code ?? 'TLD';
  const rootName = union?.name ?? t('plan.national', lang);
  const [year, setYear] = useState(2023);
  const [indicator, setIndicator] = useState('members');
  const setup = useSetupData();
  const grants = setup.data?.me.grants ?? [];
  const reviews = grants.some((g) => g.role === 'ADMIN' || g.role === 'REVIEWER');
  return (
    <main className="plan">
      <nav className="plan-parts">
        {PARTS.map((p) => (
          <button key={p.part} type="button" className={part === p.part ? 'tab active' : 'tab'} data-part={p.part} onClick={() => setPart(p.part)}>{t(p.word, lang)}</button>
        ))}
        <span className="plan-root">{rootName}</span>
        {union && <button type="button" onClick={() => setUnion(null)}>{t('plan.backToNational', lang)}</button>}
      </nav>
      <div className="plan-body">
        {part === 'gap' && <GapView lang={lang} root={root} year={year} indicator={indicator} onYear={setYear} onIndicator={setIndicator} onDrill={setUnion} />}
        {part === 'allocation' && <AllocationView lang={lang} root={root} rootName={rootName} />}
        {part === 'forecasts' && <ForecastView lang={lang} root={root} reviews={reviews} />}
      </div>
    </main>
  );
}
