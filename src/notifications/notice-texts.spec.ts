import { describe, expect, it } from '@jest/globals';
import { LOCALES } from '../config/locale.js';
import { NOTICE_TEXTS, word, wordStored, type NoticeKind, type NoticeText } from './notice-texts.js';

/** Parameters for every kind, as the services give them. */
const SAMPLES: { [K in NoticeKind]: Extract<NoticeText, { kind: K }>['params'] } = {
  'booking.created': {
    car: 'Dacia Duster',
    start: '2026-12-01T10:00:00Z',
    end: '2026-12-04T10:00:00Z',
    renter: 'Amina',
  },
  'booking.updated': { car: 'Dacia Duster', renter: 'Amina', status: 'Cancelled', reason: 'plans changed' },
  'booking.yours': {
    car: 'Dacia Duster',
    start: '2026-12-01T10:00:00Z',
    end: '2026-12-04T10:00:00Z',
    status: 'Confirmed',
  },
  'booking.message': { car: 'Dacia Duster', renter: 'Amina', content: 'Arriving at 9', fromRenter: true },
  'review.created': { car: 'Dacia Duster', renter: 'Amina', rating: 4 },
  'review.reply': { car: 'Dacia Duster', reply: 'Thank you' },
  'agency.status': { status: 'suspended', reason: 'expired insurance' },
  'complaint.created': { category: 'vehicle_condition', car: 'Dacia Duster' },
  'support.created': { category: 'billing', subject: 'Invoice' },
  'complaint.updated': { aboutBooking: true, status: 'in_review' },
  'complaint.message': { content: 'We are looking into it', internal: false },
  'document.sent': { type: 'business_licence', by: 'clerk-a' },
  'document.reviewed': { type: 'driving_licence', status: 'rejected', reason: 'unreadable' },
  'demo.welcome': { cars: 3 },
};

describe('notice texts', () => {
  const every = Object.entries(SAMPLES).map(([kind, params]) => ({ kind, params }) as NoticeText);

  it.each(every)('words $kind in every language, each its own', (text) => {
    const wordings = LOCALES.map((locale) => word(text, locale));
    for (const { title, message } of wordings) {
      expect(title.trim()).not.toBe('');
      expect(message.trim()).not.toBe('');
      expect(`${title} ${message}`).not.toMatch(/undefined|null|NaN|\[object/);
    }
    expect(wordings[1]).not.toEqual(wordings[0]);
  });

  it('keeps the English the dashboard has always read', () => {
    expect(word({ kind: 'booking.created', params: SAMPLES['booking.created'] }, 'en')).toEqual({
      title: 'New Booking',
      message: 'New booking request for Dacia Duster (Dec 1 – Dec 4) from Amina',
    });
    expect(word({ kind: 'booking.yours', params: SAMPLES['booking.yours'] }, 'fr')).toEqual({
      title: 'Réservation confirmée',
      message: 'Votre réservation de Dacia Duster (1 déc. – 4 déc.) est maintenant confirmée',
    });
  });

  it('answers a notification stored before kinds, or of a kind it does not know, with its stored English', () => {
    const stored = { title: 'Welcome', message: 'Hello', params: null };
    expect(wordStored({ ...stored, kind: null }, 'fr')).toEqual({ title: 'Welcome', message: 'Hello' });
    expect(wordStored({ ...stored, kind: 'gone.kind' }, 'fr')).toEqual({ title: 'Welcome', message: 'Hello' });
    expect(Object.keys(NOTICE_TEXTS).sort()).toEqual(Object.keys(SAMPLES).sort());
  });
});
