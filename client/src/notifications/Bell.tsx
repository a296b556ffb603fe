/**
 * The header's notification bell: the unread count, live; opening it lists the latest notifications
 * and marks them read; one with a link opens it (the link is a hash route such as "#/rounds/1/P06").
 */
import { useEffect, useRef, useState } from 'react';
import { num, when } from '../format.ts';
import { t, type Lang } from '../i18n.ts';
import { useNotifications, type Notice } from './useNotifications.ts';
import { usePopover } from './usePopover.ts';
import './bell.css';

function BellIcon() {
  return (
    <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.7 21a2 2 0 0 1-3.4 0" />
    </svg>
  );
}

function Item({ n, lang, fresh, onOpen }: { n: Notice; lang: Lang; fresh: boolean; onOpen: (n: Notice) => void }) {
  const content = (
    <>
      <span className="bell-title">{n.title}</span>
      <span className="bell-body">{n.body}</span>
      <span className="bell-when">{when(n.createdAt, lang)}</span>
    </>
  );
  return (
    <li className={fresh ? 'bell-item fresh' : 'bell-item'}>
      {n.link ? <button type="button" className="bell-open" onClick={() => onOpen(n)}>{content}</button> : <div className="bell-open">{content}</div>}
    </li>
  );
}

export function Bell({ lang }: { lang: Lang }) {
  const { items, unread, loaded, markRead } = useNotifications();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const { open, toggle, close } = usePopover(root, button);
  // What was unread when the list opened stays marked as new while it is open.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    if (!open) return;
    list.current?.querySelector<HTMLElement>('button.bell-open')?.focus();
  }, [open]);

  const onToggle = () => {
    if (!open) {
      const unreadIds = items.filter((n) => !n.readAt).map((n) => n.id);
      setFresh(new Set(unreadIds));
      // Opening the list reads what it shows; older unread ones (beyond the list) are read too when none is shown.
      markRead(unread > unreadIds.length ? null : unreadIds);
    }
    toggle();
  };
  const onOpen = (n: Notice) => {
    close(false);
    if (n.link) window.location.hash = n.link.replace(/^#/, '');
  };

  const label = `${t('bell.label', lang)}: ${num(unread, lang)} ${t('bell.unread', lang)}`;
  return (
    <div className="bell" ref={root}>
      <button ref={button} type="button" className="bell-button" aria-label={label} title={label} aria-haspopup="dialog" aria-expanded={open} onClick={onToggle}>
        <BellIcon />
        {unread > 0 && <span className="bell-count" aria-hidden="true">{num(unread, lang)}</span>}
      </button>
      {open && (
        <div className="bell-panel" role="dialog" aria-label={t('bell.label', lang)}>
          <div className="bell-head">{t('bell.label', lang)}</div>
          {loaded && items.length === 0 && <p className="bell-empty">{t('bell.empty', lang)}</p>}
          <ul ref={list}>
            {items.map((n) => <Item key={n.id} n={n} lang={lang} fresh={fresh.has(n.id)} onOpen={onOpen} />)}
          </ul>
        </div>
      )}
    </div>
  );
}
