/**
 * `downloadTicket(path)`: a short-lived link to a file download for the signed-in caller, so a
 * browser can follow a plain link without putting its CSRF token in the URL (hardening/tickets.ts).
 */
import { builder } from './builder.js';
import { DomainError } from '../domain/errors.js';
import { LIMITS } from '../config.js';
import { canonicalDownload, signDownloadTicket, TICKET_PARAM } from '../hardening/tickets.js';

interface Ticket {
  url: string;
  ticket: string;
  expiresAt: string;
}

const DownloadTicketRef = builder.objectRef<Ticket>('DownloadTicket').implement({
  description: 'A link that opens one download, for the caller who asked, until `expiresAt`.',
  fields: (t) => ({
    url: t.exposeString('url', { description: 'The path asked for with `ticket=` added: follow it with no header at all.' }),
    ticket: t.exposeString('ticket'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  downloadTicket: t.field({
    type: DownloadTicketRef,
    description: `A ticket for a download path of this server (/exports/…, /reports/…) with its query, valid ${LIMITS.DOWNLOAD_TICKET_SECONDS} s, for the caller only.`,
    args: { path: t.arg.string({ required: true, description: 'e.g. /exports/figures.csv?root=P06&years=2014-2017' }) },
    resolve: (_, { path }, ctx) => {
      const canonical = canonicalDownload(path);
      if (!canonical || new URLSearchParams(path.split('?')[1] ?? '').has(TICKET_PARAM)) {
        throw new DomainError('VALIDATION', 'path: a download path of this server such as /exports/figures.csv?root=P06 (at most 2,048 characters, no ticket in it)', { fields: ['path'] });
      }
      const expiresAt = Date.now() + LIMITS.DOWNLOAD_TICKET_SECONDS * 1000;
      const ticket = signDownloadTicket({ userId: ctx.access.caller!.userId, path: canonical, expiresAt });
      return { url: `${path}${path.includes('?') ? '&' : '?'}${TICKET_PARAM}=${encodeURIComponent(ticket)}`, ticket, expiresAt: new Date(expiresAt).toISOString() };
    },
  }),
}));
