/**
 * The caller's notifications for the bell: the latest ones and the unread count, kept live by the
 * `notificationAdded` subscription over the page's one event stream. The list is read once the
 * subscription is accepted, so nothing delivered in between is missed (an event already in the
 * list is not counted twice).
 */
import { useCallback, useEffect, useReducer } from 'react';
import { MarkNotificationsReadMutation, NotificationAddedSubscription, NotificationsQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import { follow } from '../typed-run.ts';
import { mutate, query } from '../typed-run.ts';

export type Notice = ResultOf<typeof NotificationsQuery>['notifications'][number];

/** How many of the latest the bell shows. */
const SHOWN = 20;

interface State {
  items: Notice[];
  unread: number;
  loaded: boolean;
}

type Action =
  | { type: 'loaded'; items: Notice[]; unread: number }
  | { type: 'added'; notice: Notice }
  | { type: 'read'; ids: string[] | null; at: string };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'loaded': {
      // Events heard while the list was being read are in it already, or newer: keep the newer.
      const known = new Set(action.items.map((n) => n.id));
      const newer = state.items.filter((n) => !known.has(n.id) && Number(n.id) > Number(action.items[0]?.id ?? 0));
      return { items: [...newer, ...action.items].slice(0, SHOWN), unread: action.unread + newer.filter((n) => !n.readAt).length, loaded: true };
    }
    case 'added':
      if (state.items.some((n) => n.id === action.notice.id)) return state;
      return { ...state, items: [action.notice, ...state.items].slice(0, SHOWN), unread: state.unread + (action.notice.readAt ? 0 : 1) };
    case 'read': {
      const hit = (n: Notice) => !n.readAt && (action.ids === null || action.ids.includes(n.id));
      const changed = state.items.filter(hit).length;
      return {
        ...state,
        items: state.items.map((n) => (hit(n) ? { ...n, readAt: action.at } : n)),
        unread: action.ids === null ? 0 : Math.max(0, state.unread - changed),
      };
    }
  }
}

export function useNotifications() {
  const [state, dispatch] = useReducer(reducer, { items: [], unread: 0, loaded: false });

  useEffect(() => {
    const controller = new AbortController();
    const load = () =>
      query(NotificationsQuery, { limit: SHOWN }).then(
        (d) => !controller.signal.aborted && dispatch({ type: 'loaded', items: d.notifications, unread: d.unreadNotificationCount }),
        () => undefined, // a failed read leaves the bell as it is; the next event or page load reads again
      );
    follow(NotificationAddedSubscription, (d) => dispatch({ type: 'added', notice: d.notificationAdded }), controller.signal)
      // Refused or closed (signed out): the bell still shows what a plain read finds.
      .then(load, () => !controller.signal.aborted && load());
    return () => controller.abort();
  }, []);

  /** Mark read on the server (these ids, or all), and here at once. */
  const markRead = useCallback((ids: string[] | null) => {
    if (ids !== null && ids.length === 0) return;
    dispatch({ type: 'read', ids, at: new Date().toISOString() });
    mutate(MarkNotificationsReadMutation, { ids }).catch(() => undefined); // the next load shows the server's truth
  }, []);

  return { ...state, markRead };
}
