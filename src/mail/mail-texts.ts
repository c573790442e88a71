import type { Locale } from '../config/locale.js';
import type { Wording } from '../notifications/notice-texts.js';

/** An e-mail as sent: both parts say the same, the HTML with every value escaped. */
export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

const CATEGORY: Record<Locale, Record<string, string>> = {
  en: {
    booking: 'bookings',
    review: 'reviews',
    message: 'messages',
    complaint: 'complaints and support',
    account: 'your account',
    agency: 'your agency',
    system: 'the platform',
  },
  fr: {
    booking: 'réservations',
    review: 'avis',
    message: 'messages',
    complaint: 'réclamations et assistance',
    account: 'votre compte',
    agency: 'votre agence',
    system: 'la plateforme',
  },
};

const WORDS: Record<
  Locale,
  {
    hello: (name: string | null) => string;
    digest: (count: number, about: string) => string;
    why: string;
    always: string;
  }
> = {
  en: {
    hello: (name) => (name ? `Hello ${name},` : 'Hello,'),
    digest: (count, about) => `${count} new notifications: ${about}`,
    why: 'You receive these e-mails because they are on in your profile (emailNotifications).',
    always: 'E-mails about your account and agency are always sent.',
  },
  fr: {
    hello: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
    digest: (count, about) => `${count} nouvelles notifications : ${about}`,
    why: 'Vous recevez ces e-mails car ils sont activés dans votre profil (emailNotifications).',
    always: 'Les e-mails concernant votre compte et votre agence sont toujours envoyés.',
  },
};

const ALWAYS_SENT = new Set(['account', 'agency']);

/**
 * The e-mail of `items` (one category, one reader, oldest first) in `locale`: one notification as
 * itself, several as a digest listing them.
 */
export function composeMail(
  items: Wording[],
  { locale, name, category }: { locale: Locale; name: string | null; category: string },
): ComposedMail {
  const words = WORDS[locale];
  const about = CATEGORY[locale][category] ?? category;
  const single = items.length === 1;
  const subject = single ? items[0].title : words.digest(items.length, about);
  const footer = ALWAYS_SENT.has(category) ? words.always : words.why;
  const text = [
    words.hello(name),
    '',
    ...(single ? [items[0].message] : items.map((item) => `- ${item.title}: ${item.message}`)),
    '',
    '--',
    footer,
    '',
  ].join('\n');
  const body = single
    ? `<p>${escapeHtml(items[0].message)}</p>`
    : `<ul>${items.map((item) => `<li><strong>${escapeHtml(item.title)}</strong>: ${escapeHtml(item.message)}</li>`).join('')}</ul>`;
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body><p>${escapeHtml(words.hello(name))}</p>${body}<hr><p><small>${escapeHtml(footer)}</small></p></body></html>`;
  return { subject, text, html };
}

/** Text as HTML shows it: names, reviews and messages are written by users. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
