import type { Locale } from '../config/locale.js';

/**
 * Every notification's words, in each language the platform speaks: a notification is stored as what
 * happened (its `kind` and `params`) and worded here for whoever reads it, in the list, on the stream
 * and in e-mails. English is also stored beside it (`title`, `message`): what the dashboard has
 * always read, and what a notification from before kinds existed keeps.
 */
export interface Wording {
  title: string;
  message: string;
}

/** Day ranges as a person reads them: "Dec 1 – Dec 4", "1 déc. – 4 déc.". One formatter per language. */
const DAYS: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
  fr: new Intl.DateTimeFormat('fr-FR', { month: 'short', day: 'numeric', timeZone: 'UTC' }),
};
const range = (locale: Locale, start: string, end: string) =>
  `${DAYS[locale].format(new Date(start))} – ${DAYS[locale].format(new Date(end))}`;
const because = (reason?: string | null) => (reason ? ` (${reason})` : '');
/** `in_review` → `in review`: the English of a code (only its first underscore, as always worded). */
const spaced = (code: string) => code.replace('_', ' ');

const BOOKING_STATUS_FR: Record<string, string> = {
  Pending: 'en attente',
  Confirmed: 'confirmée',
  Completed: 'terminée',
  Cancelled: 'annulée',
  Rejected: 'refusée',
};
const RENTER_TITLES: Record<Locale, Record<string, string>> = {
  en: {
    Confirmed: 'Booking Confirmed',
    Rejected: 'Booking Rejected',
    Cancelled: 'Booking Cancelled',
    Completed: 'Booking Completed',
  },
  fr: {
    Confirmed: 'Réservation confirmée',
    Rejected: 'Réservation refusée',
    Cancelled: 'Réservation annulée',
    Completed: 'Réservation terminée',
  },
};
const AGENCY_SAYS: Record<Locale, Record<string, string>> = {
  en: {
    active: 'is active: its cars are in the catalogue and take bookings',
    pending: 'is pending review: its cars are not in the catalogue yet',
    suspended: 'is suspended: its cars are out of the catalogue and take no bookings',
    rejected: 'application was not accepted',
  },
  fr: {
    active: 'est active : ses voitures sont au catalogue et acceptent des réservations',
    pending: 'est en cours d’examen : ses voitures ne sont pas encore au catalogue',
    suspended: 'est suspendue : ses voitures sont retirées du catalogue et n’acceptent plus de réservations',
    rejected: 'n’a pas été acceptée',
  },
};
const COMPLAINT_CATEGORY_FR: Record<string, string> = {
  vehicle_condition: 'état du véhicule',
  billing: 'facturation',
  no_show: 'absence',
  behaviour: 'comportement',
  other: 'autre',
};
const COMPLAINT_STATUS_FR: Record<string, string> = {
  open: 'ouverte',
  in_review: 'en cours d’examen',
  resolved: 'résolue',
  rejected: 'rejetée',
};
const DOCUMENT_TYPE_FR: Record<string, string> = {
  business_licence: 'licence commerciale',
  insurance: 'attestation d’assurance',
  registration: 'certificat d’immatriculation',
  other: 'autre document',
  driving_licence: 'permis de conduire',
  id_card: 'carte d’identité',
};
const DOCUMENT_SAYS: Record<Locale, Record<string, string>> = {
  en: { pending: 'is waiting for review', approved: 'was approved', rejected: 'was rejected' },
  fr: { pending: 'attend sa vérification', approved: 'a été approuvé', rejected: 'a été refusé' },
};

/** One kind of notification: its parameters, worded in every language. */
type Texts<P> = Record<Locale, (params: P, locale: Locale) => Wording>;
const texts = <P>(wordings: Texts<P>) => wordings;

export const NOTICE_TEXTS = {
  'booking.created': texts<{ car: string; start: string; end: string; renter: string }>({
    en: (p, l) => ({
      title: 'New Booking',
      message: `New booking request for ${p.car} (${range(l, p.start, p.end)}) from ${p.renter}`,
    }),
    fr: (p, l) => ({
      title: 'Nouvelle réservation',
      message: `Nouvelle demande de réservation pour ${p.car} (${range(l, p.start, p.end)}) de ${p.renter}`,
    }),
  }),
  'booking.updated': texts<{ car: string; renter: string; status: string; reason?: string | null }>({
    en: (p) => ({
      title: 'Booking Updated',
      message: `Booking for ${p.car} from ${p.renter} is now ${p.status}${because(p.reason)}`,
    }),
    fr: (p) => ({
      title: 'Réservation mise à jour',
      message: `La réservation de ${p.car} par ${p.renter} est maintenant ${BOOKING_STATUS_FR[p.status] ?? p.status}${because(p.reason)}`,
    }),
  }),
  'booking.yours': texts<{ car: string; start: string; end: string; status: string; reason?: string | null }>({
    en: (p, l) => ({
      title: RENTER_TITLES.en[p.status] ?? 'Booking Updated',
      message: `Your booking of ${p.car} (${range(l, p.start, p.end)}) is now ${p.status}${because(p.reason)}`,
    }),
    fr: (p, l) => ({
      title: RENTER_TITLES.fr[p.status] ?? 'Réservation mise à jour',
      message: `Votre réservation de ${p.car} (${range(l, p.start, p.end)}) est maintenant ${BOOKING_STATUS_FR[p.status] ?? p.status}${because(p.reason)}`,
    }),
  }),
  'booking.message': texts<{ car: string; renter: string; content: string; fromRenter: boolean }>({
    en: (p) => ({
      title: 'New Message',
      message: p.fromRenter
        ? `${p.renter} wrote about their booking of ${p.car}: ${p.content}`
        : `The agency wrote about your booking of ${p.car}: ${p.content}`,
    }),
    fr: (p) => ({
      title: 'Nouveau message',
      message: p.fromRenter
        ? `${p.renter} a écrit au sujet de sa réservation de ${p.car} : ${p.content}`
        : `L’agence a écrit au sujet de votre réservation de ${p.car} : ${p.content}`,
    }),
  }),
  'review.created': texts<{ car: string; renter: string; rating: number }>({
    en: (p) => ({ title: 'New Review', message: `New ${p.rating}-star review for ${p.car} from ${p.renter}` }),
    fr: (p) => ({ title: 'Nouvel avis', message: `Nouvel avis (${p.rating}/5) sur ${p.car} de ${p.renter}` }),
  }),
  'review.reply': texts<{ car: string; reply: string }>({
    en: (p) => ({
      title: 'Reply to Your Review',
      message: `The agency replied to your review of ${p.car}: ${p.reply}`,
    }),
    fr: (p) => ({
      title: 'Réponse à votre avis',
      message: `L’agence a répondu à votre avis sur ${p.car} : ${p.reply}`,
    }),
  }),
  'agency.status': texts<{ status: string; reason?: string | null }>({
    en: (p) => ({
      title: 'Agency Status Changed',
      message: `Your agency ${AGENCY_SAYS.en[p.status]}${because(p.reason)}`,
    }),
    fr: (p) => ({
      title: 'Statut de l’agence modifié',
      message: `Votre agence ${AGENCY_SAYS.fr[p.status]}${because(p.reason)}`,
    }),
  }),
  'complaint.created': texts<{ category: string; car: string }>({
    en: (p) => ({
      title: 'New Complaint',
      message: `A complaint (${spaced(p.category)}) was filed about the booking of ${p.car}`,
    }),
    fr: (p) => ({
      title: 'Nouvelle réclamation',
      message: `Une réclamation (${COMPLAINT_CATEGORY_FR[p.category] ?? p.category}) a été déposée au sujet de la réservation de ${p.car}`,
    }),
  }),
  'support.created': texts<{ category: string; subject: string }>({
    en: (p) => ({ title: 'New Support Request', message: `A support request (${spaced(p.category)}): ${p.subject}` }),
    fr: (p) => ({
      title: 'Nouvelle demande d’assistance',
      message: `Une demande d’assistance (${COMPLAINT_CATEGORY_FR[p.category] ?? p.category}) : ${p.subject}`,
    }),
  }),
  'complaint.updated': texts<{ aboutBooking: boolean; status: string }>({
    en: (p) => ({
      title: 'Complaint Updated',
      message: `Your ${p.aboutBooking ? 'complaint about a booking' : 'support request'} is now ${spaced(p.status)}`,
    }),
    fr: (p) => ({
      title: 'Réclamation mise à jour',
      message: `Votre ${p.aboutBooking ? 'réclamation sur une réservation' : 'demande d’assistance'} est maintenant ${COMPLAINT_STATUS_FR[p.status] ?? p.status}`,
    }),
  }),
  'complaint.message': texts<{ content: string; internal: boolean }>({
    en: (p) => ({ title: p.internal ? 'Internal Note' : 'New Complaint Message', message: p.content }),
    fr: (p) => ({ title: p.internal ? 'Note interne' : 'Nouveau message sur la réclamation', message: p.content }),
  }),
  'document.sent': texts<{ type: string; by: string }>({
    en: (p) => ({ title: 'New Document', message: `A ${spaced(p.type)} was sent for review by ${p.by}` }),
    fr: (p) => ({
      title: 'Nouveau document',
      message: `Un document (${DOCUMENT_TYPE_FR[p.type] ?? p.type}) a été envoyé pour vérification par ${p.by}`,
    }),
  }),
  'document.reviewed': texts<{ type: string; status: string; reason?: string | null }>({
    en: (p) => ({
      title: 'Document Reviewed',
      message: `Your ${spaced(p.type)} ${DOCUMENT_SAYS.en[p.status]}${because(p.reason)}`,
    }),
    fr: (p) => ({
      title: 'Document vérifié',
      message: `Votre document (${DOCUMENT_TYPE_FR[p.type] ?? p.type}) ${DOCUMENT_SAYS.fr[p.status]}${because(p.reason)}`,
    }),
  }),
  'demo.welcome': texts<{ cars: number }>({
    en: (p) => ({ title: 'Welcome', message: `Demo data loaded: ${p.cars} cars of yours, with bookings and reviews.` }),
    fr: (p) => ({
      title: 'Bienvenue',
      message: `Données de démonstration chargées : ${p.cars} de vos voitures, avec des réservations et des avis.`,
    }),
  }),
};

export type NoticeKind = keyof typeof NOTICE_TEXTS;
type ParamsOf<K extends NoticeKind> = Parameters<(typeof NOTICE_TEXTS)[K]['en']>[0];
/** What happened, to be worded for each reader: a kind and its parameters. */
export type NoticeText = { [K in NoticeKind]: { kind: K; params: ParamsOf<K> } }[NoticeKind];

/** `text` worded in `locale`. */
export function word(text: NoticeText, locale: Locale): Wording {
  return (NOTICE_TEXTS[text.kind][locale] as (params: unknown, locale: Locale) => Wording)(text.params, locale);
}

/**
 * A stored notification worded in `locale`: from its kind and parameters when it has them and the
 * kind is known, else the English it was stored with.
 */
export function wordStored(
  row: { kind: string | null; params: unknown; title: string; message: string },
  locale: Locale,
): Wording {
  if (locale === 'en' || row.kind === null || !(row.kind in NOTICE_TEXTS)) {
    return { title: row.title, message: row.message };
  }
  return word({ kind: row.kind, params: row.params } as NoticeText, locale);
}
