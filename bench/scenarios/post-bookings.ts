/** POST /bookings: 2,000 requests on distinct cars at 50 concurrent clients, then 40 racing for one slot. */
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import { httpLoad } from '../harness/processes.js';

const log = logger('bench');

export type PostBookingsResult = HttpLoadResult & { oneSlot: { created: number; conflicts: number; total: number } };

export async function benchPostBookings(apiUrl: string, carIds: string[]): Promise<PostBookingsResult> {
  log('POST /bookings: 2000 requests on distinct cars, 50 concurrent clients');
  const bookings = await httpLoad({ url: apiUrl, connections: 50, amount: 2000, bookingCars: carIds });
  const slot = { startDate: '2029-06-01T10:00:00.000Z', endDate: '2029-06-03T10:00:00.000Z' };
  const oneSlot = await Promise.all(
    Array.from({ length: 40 }, () =>
      postJson(`${apiUrl}/bookings`, {
        carId: carIds[0],
        ...slot,
        renter: { name: 'Race', email: 'race@example.com' },
      }).then((response) => response.status),
    ),
  );
  return {
    ...bookings,
    oneSlot: {
      created: oneSlot.filter((status) => status === 201).length,
      conflicts: oneSlot.filter((status) => status === 409).length,
      total: oneSlot.length,
    },
  };
}

export function postBookingsRows(b: PostBookingsResult): string[][] {
  return [
    ['POST /bookings (50 conc., distinct cars) req/s', fixed(b.requestsPerSecond, 0), '', '', 'no errors'],
    [
      'POST /bookings p50 / p99 ms; errors; non-2xx',
      `${b.latencyP50} / ${b.latencyP99}; ${b.errors}; ${b.non2xx}`,
      '',
      '',
      '',
    ],
    [
      `${b.oneSlot.total} simultaneous requests for one slot`,
      `${b.oneSlot.created} x 201, ${b.oneSlot.conflicts} x 409`,
      '',
      '',
      '1 x 201',
    ],
  ];
}
