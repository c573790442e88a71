import { beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { useTestApp } from './support/app.js';
import { bookingInput, createBooking, createCar, reviewInput } from './support/builders.js';
import { day, started } from './support/dates.js';

const DEC_1 = day(0);
const DEC_3 = day(2);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "Dec 1", as people read it (UTC). */
const monthDay = (iso: string) => `${MONTHS[new Date(iso).getUTCMonth()]} ${new Date(iso).getUTCDate()}`;

interface NotificationBody {
  id: string;
  type: string;
  title: string;
  message: string;
  isRead: boolean;
  createdAt: string;
  data?: Record<string, unknown>;
}

describe('Reviews and notifications', () => {
  const t = useTestApp();
  let car: { id: string };

  beforeEach(async () => {
    car = await createCar(t.url, { make: 'Dacia', model: 'Duster' });
  });

  const notifications = async (query = ''): Promise<NotificationBody[]> =>
    (await request(t.url).get(`/notifications${query}`).expect(200)).body as NotificationBody[];

  describe('POST /reviews', () => {
    it('creates a review with createdAt, stripping the id', async () => {
      const response = await request(t.url)
        .post('/reviews')
        .send({ ...reviewInput(car.id, { rating: '4' }), id: '' })
        .expect(201);
      expect(response.body).toMatchObject({
        carId: car.id,
        renterId: 'renter-1',
        renterName: 'Youssef B.',
        rating: 4,
        comment: 'Great car',
      });
      expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(response.body.createdAt).toISOString()).toBe(response.body.createdAt);
      await request(t.url).get(`/reviews/${response.body.id}`).expect(200);
    });

    it.each([
      ['a rating of 0', { rating: 0 }],
      ['a rating of 6', { rating: 6 }],
      ['a rating of 4.5', { rating: 4.5 }],
      ['a rating as a word', { rating: 'five' }],
      ['no renter name', { renterName: '' }],
      ['a null comment', { comment: null }],
      ['a comment over 5000 characters', { comment: 'x'.repeat(5001) }],
      ['a malformed car id', { carId: 'abc' }],
    ])('rejects %s with a 400, storing nothing', async (_case, overrides) => {
      const response = await request(t.url).post('/reviews').send(reviewInput(car.id, overrides)).expect(400);
      expect(typeof response.body.message).toBe('string');
      expect((await request(t.url).get('/reviews').expect(200)).body).toHaveLength(0);
      expect(await notifications()).toHaveLength(0);
    });

    it('answers an unknown or deleted car with 404', async () => {
      await request(t.url).post('/reviews').send(reviewInput('5b0f6b8e-8d52-4a5e-9b4a-000000000000')).expect(404);
      await request(t.url).delete(`/cars/${car.id}`).expect(200);
      await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(404);
    });

    it('lists reviews newest first, filtered by car, and finds one by id', async () => {
      const other = await createCar(t.url);
      const first = (await request(t.url).post('/reviews').send(reviewInput(car.id)).expect(201)).body;
      const second = (await request(t.url).post('/reviews').send(reviewInput(other.id)).expect(201)).body;
      const all = await request(t.url).get('/reviews').expect(200);
      expect(all.body.map((review: { id: string }) => review.id)).toEqual([second.id, first.id]);
      expect(all.headers['x-total-count']).toBe('2');
      const filtered = await request(t.url).get(`/reviews?carId=${car.id}`).expect(200);
      expect(filtered.body.map((review: { id: string }) => review.id)).toEqual([first.id]);
      await request(t.url).get('/reviews/5b0f6b8e-8d52-4a5e-9b4a-000000000000').expect(404);
      await request(t.url).get('/reviews/1').expect(400);
    });
  });

  describe('notifications raised by the server', () => {
    it('raises New Booking with the booking as data', async () => {
      const booking = (
        await request(t.url)
          .post('/bookings')
          .send(bookingInput(car.id, DEC_1, DEC_3))
          .expect(201)
      ).body;
      const [notification] = await notifications();
      expect(notification).toMatchObject({
        type: 'BOOKING',
        title: 'New Booking',
        message: `New booking request for Dacia Duster (${monthDay(DEC_1)} – ${monthDay(DEC_3)}) from Amina El Idrissi`,
        isRead: false,
        data: { booking },
      });
      expect(notification.id).toMatch(/^\d+$/);
    });

    it('raises Booking Updated on every status change, not on a paid-only change or a no-op', async () => {
      const { start, end } = started(); // a rental that has begun: it can be Completed
      const booking = await createBooking(t.url, car.id, start, end);
      await request(t.url).patch(`/bookings/${booking.id}`).send({ isPaid: true }).expect(200);
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Pending' }).expect(200);
      expect(await notifications()).toHaveLength(1);
      const confirmed = (
        await request(t.url).put(`/bookings/${booking.id}`).send({ status: 'Confirmed', isPaid: false }).expect(200)
      ).body;
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Completed' }).expect(200);
      const [completed, update] = await notifications();
      expect(update).toMatchObject({
        type: 'BOOKING',
        title: 'Booking Updated',
        message: 'Booking for Dacia Duster from Amina El Idrissi is now Confirmed',
        data: { booking: confirmed },
      });
      expect(completed.message).toBe('Booking for Dacia Duster from Amina El Idrissi is now Completed');
      expect(await notifications()).toHaveLength(3);
    });

    it('raises nothing for a refused booking or status change', async () => {
      const booking = await createBooking(t.url, car.id, DEC_1, DEC_3);
      await request(t.url)
        .post('/bookings')
        .send(bookingInput(car.id, DEC_1, DEC_3))
        .expect(409);
      await request(t.url).patch(`/bookings/${booking.id}`).send({ status: 'Completed' }).expect(409);
      expect(await notifications()).toHaveLength(1);
    });

    it('raises New Review with the review as data', async () => {
      const review = (
        await request(t.url)
          .post('/reviews')
          .send(reviewInput(car.id, { rating: 3 }))
          .expect(201)
      ).body;
      const [notification] = await notifications();
      expect(notification).toMatchObject({
        type: 'REVIEW',
        title: 'New Review',
        message: 'New 3-star review for Dacia Duster from Youssef B.',
        data: { review },
      });
    });
  });

  describe('GET /notifications and marking read', () => {
    it('lists newest first with X-Total-Count, and unread=true filters', async () => {
      await request(t.url)
        .post('/reviews')
        .send(reviewInput(car.id, { rating: 1 }))
        .expect(201);
      await request(t.url)
        .post('/reviews')
        .send(reviewInput(car.id, { rating: 2 }))
        .expect(201);
      await request(t.url)
        .post('/reviews')
        .send(reviewInput(car.id, { rating: 3 }))
        .expect(201);
      const all = await request(t.url).get('/notifications').expect(200);
      expect(all.headers['x-total-count']).toBe('3');
      expect(all.body.map((n: NotificationBody) => n.message[4])).toEqual(['3', '2', '1']);
      const [, middle] = all.body as NotificationBody[];

      const read = await request(t.url).post(`/notifications/${middle.id}/read`).expect(200);
      expect(read.body).toEqual({ success: true });
      const unread = await notifications('?unread=true');
      expect(unread.map((n) => n.id)).not.toContain(middle.id);
      expect(unread).toHaveLength(2);
      expect((await notifications()).find((n) => n.id === middle.id)?.isRead).toBe(true);
      const page = await request(t.url).get('/notifications?limit=1&offset=1').expect(200);
      expect(page.body.map((n: NotificationBody) => n.id)).toEqual([middle.id]);

      const all2 = await request(t.url).post('/notifications/read-all').expect(200);
      expect(all2.body).toEqual({ success: true });
      expect(await notifications('?unread=true')).toHaveLength(0);
      await request(t.url).post('/notifications/read-all').expect(200);
    });

    it('lists newest first by the createdAt it shows, also after many concurrent writes', async () => {
      const cars = await Promise.all(Array.from({ length: 5 }, () => createCar(t.url)));
      await Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          request(t.url)
            .post('/bookings')
            .send(bookingInput(cars[i % 5].id, day(3 * Math.floor(i / 5)), day(3 * Math.floor(i / 5) + 1)))
            .expect(201),
        ),
      );
      const listed = await notifications('?limit=500');
      expect(listed).toHaveLength(150);
      for (let i = 1; i < listed.length; i++) {
        const [newer, older] = [listed[i - 1], listed[i]];
        const order = Date.parse(newer.createdAt) - Date.parse(older.createdAt);
        expect(order > 0 || (order === 0 && BigInt(newer.id) > BigInt(older.id))).toBe(true);
      }
    });

    it('answers an unknown id with 404 and a malformed one with 400', async () => {
      const missing = await request(t.url).post('/notifications/999999/read').expect(404);
      expect(missing.body.message).toBe('Notification not found');
      await request(t.url).post('/notifications/abc/read').expect(400);
      await request(t.url).post('/notifications/-1/read').expect(400);
    });
  });
});
