import request from 'supertest';

let counter = 0;

export function carInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    make: 'Toyota',
    model: `Corolla ${counter}`,
    year: 2023,
    type: 'Sedan',
    seats: 5,
    fuelType: 'Hybrid',
    pricePerDay: 40,
    available: true,
    location: 'Casablanca',
    description: 'Clean and economical',
    features: ['Bluetooth', ''],
    images: ['/placeholder.svg?height=200&width=300'],
    ...overrides,
  };
}

export async function createCar(
  url: string,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; pricePerDay: number }> {
  const response = await request(url).post('/cars').send(carInput(overrides)).expect(201);
  return response.body as { id: string; pricePerDay: number };
}

export function bookingInput(
  carId: string,
  startDate: string,
  endDate: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    carId,
    startDate,
    endDate,
    renter: { id: '', name: 'Amina El Idrissi', email: 'amina@example.com' },
    totalPrice: 1,
    ...overrides,
  };
}

export async function createBooking(url: string, carId: string, startDate: string, endDate: string) {
  const response = await request(url)
    .post('/bookings')
    .send(bookingInput(carId, startDate, endDate))
    .expect(201);
  return response.body as { id: string; status: string; totalPrice: number; createdAt: string };
}

export function reviewInput(carId: string, overrides: Record<string, unknown> = {}) {
  return { carId, renterId: 'renter-1', renterName: 'Youssef B.', rating: 5, comment: 'Great car', ...overrides };
}
