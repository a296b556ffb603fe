import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { csrfToken, run } from './api.ts';
import { t, type Lang, type Word } from './i18n.ts';
import { SignIn } from './SignIn.tsx';
import { Sheet } from './sheet/Sheet.tsx';
import { Progress } from './Progress.tsx';
import { Report } from './Report.tsx';
import { Files } from './Exports.tsx';
import { Rounds, type SheetCell } from './rounds/Rounds.tsx';
import { parseRoute, useRoundsInAddress } from './rounds/route.ts';
import { Bell } from './notifications/Bell.tsx';
import { Commendations } from './commendations/Commendations.tsx';
import { useSectionsInAddress, viewInAddress, type SectionsView } from './writing/route.ts';
import { mayLeave } from './writing/leaveGuard.ts';

// The written report's tabs carry the editor (Tiptap/ProseMirror): loaded when first opened.
const Writing = lazy(() => import('./writing/Writing.tsx').then((m) => ({ default: m.Writing })));
const Compile = lazy(() => import('./writing/Compile.tsx').then((m) => ({ default: m.Compile })));

/** The pages behind the header's tabs; the sheet can be opened at a unit (from the progress view). */
type View = 'sheet' | 'progress' | 'report' | 'files' | 'rounds' | 'commendations' | SectionsView;
const VIEWS: { view: View; word: Word }[] = [
  { view: 'sheet', word: 'sheetView' },
  { view: 'progress', word: 'progressView' },
  { view: 'report', word: 'reportView' },
  { view: 'files', word: 'filesView' },
  { view: 'rounds', word: 'round.view' },
  { view: 'writing', word: 'writing.view' },
  { view: 'compile', word: 'compile.view' },
  { view: 'commendations', word: 'commend.view' },
];

export function App() {
  // The language survives a reload; <html lang> follows it (screen readers, hyphenation, the browser's translate offer).
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('uh_lang') === 'en' ? 'en' : 'vi'));
  useEffect(() => {
    localStorage.setItem('uh_lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  const [signedIn, setSignedIn] = useState(csrfToken() !== '');
  const [view, setView] = useState<View>(() => (parseRoute(location.hash) ? 'rounds' : viewInAddress(location.hash) ?? 'sheet'));
  // A round's link (#/rounds/…, as a reminder carries) opens its tab.
  const openRounds = useCallback(() => setView('rounds'), []);
  useRoundsInAddress(view === 'rounds', openRounds);
  // A writing or compile link (#/writing/…, #/compile/…, as a quote carries) opens its tab.
  const openSections = useCallback((v: SectionsView) => setView(v), []);
  useSectionsInAddress(view, openSections);
  // Where the sheet opens: a unit code (its ancestors are expanded) and the years to show; from a round's blocker, the cell.
  const [sheetAt, setSheetAt] = useState<SheetCell | null>(null);
  // Stable: the sheet's loads depend on it.
  const signedOut = useCallback(() => setSignedIn(false), []);
  const signOut = async () => {
    await run('mutation { signOut }', {}, true).catch(() => undefined);
    setSignedIn(false);
  };
  return (
    <div className="app">
      <header>
        <strong>UnionHub</strong> — {t('title', lang)}
        {signedIn && (
          <nav>
            {VIEWS.map((v) => (
              <button key={v.view} type="button" className={view === v.view ? 'tab active' : 'tab'} data-view={v.view} onClick={() => v.view !== view && mayLeave() && setView(v.view)}>
                {t(v.word, lang)}
              </button>
            ))}
          </nav>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{lang === 'vi' ? 'English' : 'Tiếng Việt'}</button>
        {signedIn && <Bell lang={lang} />}
        {signedIn && <button type="button" onClick={signOut}>{t('signOut', lang)}</button>}
      </header>
      {!signedIn && <SignIn lang={lang} onSignedIn={() => setSignedIn(true)} />}
      {signedIn && view === 'sheet' && <Sheet key={sheetAt ? `${sheetAt.unionCode}|${sheetAt.year}|${sheetAt.indicatorCode ?? ''}|${sheetAt.scenario ?? ''}` : 'home'} lang={lang} at={sheetAt} onSignedOut={signedOut} />}
      {signedIn && view === 'report' && <Report lang={lang} />}
      {signedIn && view === 'files' && <Files lang={lang} />}
      {signedIn && (view === 'writing' || view === 'compile') && (
        <Suspense fallback={<p className="loading">{t('loading', lang)}</p>}>{view === 'writing' ? <Writing lang={lang} /> : <Compile lang={lang} />}</Suspense>
      )}
      {signedIn && view === 'commendations' && <Commendations lang={lang} />}
      {signedIn && view === 'rounds' && (
        <Rounds
          lang={lang}
          onOpenSheet={(cell) => {
            setSheetAt(cell);
            setView('sheet');
          }}
        />
      )}
      {signedIn && view === 'progress' && (
        <Progress
          lang={lang}
          onOpen={(unionCode, year) => {
            setSheetAt({ unionCode, year });
            setView('sheet');
          }}
        />
      )}
    </div>
  );
}
