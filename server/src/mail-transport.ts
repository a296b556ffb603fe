/** Sending the outbox's mails over SMTP with nodemailer (domain/mail.ts decides what and when). */
import nodemailer from 'nodemailer';
import type { SendMail } from './domain/mail.js';

export interface MailSettings {
  /** Null: no mail server, notifications in the app only. */
  smtpUrl: string | null;
  from: string;
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * A sender over `smtpUrl`, or null without one. Timeouts are short beside the outbox's lease (5 min),
 * so a claimed row is always settled (sent, or due again) before another drainer could take it.
 */
export function createSender(settings: MailSettings): { send: SendMail; close(): void } | null {
  if (!settings.smtpUrl) return null;
  const transport = nodemailer.createTransport(
    { url: settings.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 },
    { from: settings.from },
  );
  return {
    send: async (mail) => {
      await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}) });
    },
    close: () => transport.close(),
  };
}
