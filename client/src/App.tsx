import { useState } from 'react';
import { csrfToken, run } from './api.ts';
import { t, type Lang } from './i18n.ts';
import { SignIn } from './SignIn.tsx';
import { Sheet } from './Sheet.tsx';

export function App() {
  const [lang, setLang] = useState<Lang>('vi');
  const [signedIn, setSignedIn] = useState(csrfToken() !== '');
  const signOut = async () => {
    await run('mutation { signOut }', {}, true).catch(() => undefined);
    setSignedIn(false);
  };
  return (
    <div className="app">
      <header>
        <strong>UnionHub</strong> — {t('title', lang)}
        <span className="spacer" />
        <button type="button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>{lang === 'vi' ? 'English' : 'Tiếng Việt'}</button>
        {signedIn && <button type="button" onClick={signOut}>{t('signOut', lang)}</button>}
      </header>
      {signedIn ? <Sheet lang={lang} onSignedOut={() => setSignedIn(false)} /> : <SignIn lang={lang} onSignedIn={() => setSignedIn(true)} />}
    </div>
  );
}
