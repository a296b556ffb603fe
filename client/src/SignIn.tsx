import { useState, type FormEvent } from 'react';
import { run } from './api.ts';
import { t, type Lang } from './i18n.ts';
import { failureText } from './messages.ts';

export function SignIn({ lang, onSignedIn }: { lang: Lang; onSignedIn: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await run('mutation ($u: String!, $p: String!) { signIn(username: $u, password: $p) { csrfToken } }', { u: form.get('username'), p: form.get('password') }, true);
      onSignedIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="sign-in" onSubmit={submit}>
      <h2>{t('signIn', lang)}</h2>
      <label>
        {t('username', lang)} <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('password', lang)} <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>{t('signIn', lang)}</button>
      {error !== null && <p role="alert" className="error">{failureText(error, lang)}</p>}
    </form>
  );
}
