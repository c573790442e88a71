import { DataSource, In } from 'typeorm';
import { Agency, BUILT_IN_AGENCY_ID } from '../agencies/agency.entity.js';
import { Booking } from '../bookings/booking.entity.js';
import { bookingPrice, type BookingStatus } from '../bookings/booking-status.js';
import { Car } from '../cars/car.entity.js';
import { toNotificationRow } from '../notifications/notice.js';
import { Notification } from '../notifications/notification.entity.js';
import { Review } from '../reviews/review.entity.js';
import { dataSourceOptions } from '../data-source.js';

type CarSeed = Pick<
  Car,
  'make' | 'model' | 'year' | 'type' | 'seats' | 'fuelType' | 'pricePerDay' | 'location' | 'features'
>;

const CARS: CarSeed[] = [
  {
    make: 'Toyota',
    model: 'Corolla',
    year: 2023,
    type: 'Sedan',
    seats: 5,
    fuelType: 'Hybrid',
    pricePerDay: 42,
    location: 'Casablanca',
    features: ['Bluetooth', 'Backup camera', 'Apple CarPlay'],
  },
  {
    make: 'Dacia',
    model: 'Duster',
    year: 2024,
    type: 'SUV',
    seats: 5,
    fuelType: 'Diesel',
    pricePerDay: 38,
    location: 'Marrakech',
    features: ['4x4', 'Air conditioning'],
  },
  {
    make: 'Renault',
    model: 'Clio',
    year: 2022,
    type: 'Hatchback',
    seats: 5,
    fuelType: 'Gasoline',
    pricePerDay: 29,
    location: 'Rabat',
    features: ['Bluetooth', 'Cruise control'],
  },
  {
    make: 'Peugeot',
    model: '3008',
    year: 2023,
    type: 'SUV',
    seats: 5,
    fuelType: 'Diesel',
    pricePerDay: 55,
    location: 'Casablanca',
    features: ['GPS', 'Panoramic roof', 'Lane assist'],
  },
  {
    make: 'Volkswagen',
    model: 'Golf',
    year: 2021,
    type: 'Hatchback',
    seats: 5,
    fuelType: 'Gasoline',
    pricePerDay: 35,
    location: 'Tangier',
    features: ['Bluetooth', 'Parking sensors'],
  },
  {
    make: 'Mercedes-Benz',
    model: 'C-Class',
    year: 2024,
    type: 'Sedan',
    seats: 5,
    fuelType: 'Gasoline',
    pricePerDay: 120,
    location: 'Marrakech',
    features: ['Leather seats', 'GPS', 'Heated seats'],
  },
  {
    make: 'Tesla',
    model: 'Model 3',
    year: 2024,
    type: 'Sedan',
    seats: 5,
    fuelType: 'Electric',
    pricePerDay: 95,
    location: 'Casablanca',
    features: ['Autopilot', 'Premium audio'],
  },
  {
    make: 'Hyundai',
    model: 'Tucson',
    year: 2023,
    type: 'SUV',
    seats: 5,
    fuelType: 'Hybrid',
    pricePerDay: 58,
    location: 'Agadir',
    features: ['Apple CarPlay', 'Android Auto'],
  },
  {
    make: 'Kia',
    model: 'Picanto',
    year: 2022,
    type: 'Hatchback',
    seats: 4,
    fuelType: 'Gasoline',
    pricePerDay: 22,
    location: 'Fes',
    features: ['Air conditioning'],
  },
  {
    make: 'Ford',
    model: 'Transit',
    year: 2021,
    type: 'Van',
    seats: 9,
    fuelType: 'Diesel',
    pricePerDay: 80,
    location: 'Tangier',
    features: ['Extra luggage space', 'Bluetooth'],
  },
  {
    make: 'BMW',
    model: 'X5',
    year: 2023,
    type: 'SUV',
    seats: 7,
    fuelType: 'Diesel',
    pricePerDay: 150,
    location: 'Rabat',
    features: ['Third row', 'GPS', 'Heated seats'],
  },
  {
    make: 'Fiat',
    model: '500',
    year: 2022,
    type: 'Hatchback',
    seats: 4,
    fuelType: 'Gasoline',
    pricePerDay: 25,
    location: 'Agadir',
    features: ['Convertible roof'],
  },
];

const RENTERS = [
  { name: 'Amina El Idrissi', email: 'amina.elidrissi@example.com' },
  { name: 'Youssef Benali', email: 'youssef.benali@example.com' },
  { name: 'Sara Haddad', email: 'sara.haddad@example.com' },
  { name: 'Lucas Martin', email: 'lucas.martin@example.com' },
  { name: 'Emma Schulz', email: 'emma.schulz@example.com' },
];

const COMMENTS = [
  'Spotless car and a very quick pick-up.',
  'Comfortable for a long drive, would rent again.',
  'Good value, a little noisy on the highway.',
  'Great service from the agency.',
  'Exactly as described.',
];

const DAY = 24 * 60 * 60 * 1000;

/** The two demo agencies of token mode (open mode has its one built-in agency). */
export const DEMO_AGENCIES = [
  { id: '0a7e5c1a-0000-4000-8000-0000000000a1', name: 'Atlas Car Rental' },
  { id: '0a7e5c1a-0000-4000-8000-0000000000b2', name: 'Bahia Rent' },
];

/**
 * The demo renters' token subjects: in token mode their bookings are their own (booked with their
 * token). `renter-1` is Amina El Idrissi, with a Completed booking still to review; `renter-2` is
 * Youssef Benali, whose Completed booking is reviewed.
 */
export const DEMO_RENTERS = RENTERS.map((renter, index) => ({ sub: `renter-${index + 1}`, ...renter }));

/**
 * Demo cars, bookings in every status and reviews, only into an empty database. With
 * `twoAgencies` (token mode) the cars are shared between the two DEMO_AGENCIES; otherwise
 * they all belong to the built-in agency.
 */
export async function seedDemoData(url: string, { twoAgencies = false } = {}): Promise<string> {
  const dataSource = await new DataSource(dataSourceOptions(url, { poolSize: 2 })).initialize();
  try {
    const result = await dataSource.transaction(async (manager) => {
      if ((await manager.count(Car, { withDeleted: true })) > 0)
        return 'Demo data skipped: the database already has cars';
      if (twoAgencies) await manager.upsert(Agency, DEMO_AGENCIES, ['id']);
      const agencyOf = (index: number) => (twoAgencies ? DEMO_AGENCIES[index % 2].id : BUILT_IN_AGENCY_ID);
      const cars = await manager.save(
        CARS.map((car, index) =>
          manager.create(Car, {
            ...car,
            agencyId: agencyOf(index),
            available: index !== 9,
            description: `${car.year} ${car.make} ${car.model}, ${car.seats} seats, ${car.fuelType.toLowerCase()}.`,
            images: [`/placeholder.svg?height=200&width=300&text=${encodeURIComponent(`${car.make} ${car.model}`)}`],
          }),
        ),
      );

      const now = Date.now();
      const today = new Date(new Date(now).toISOString().slice(0, 10) + 'T10:00:00.000Z').getTime();
      // The fleet was on the platform before its first booking (analytics count a car's days from then).
      await manager.update(Car, { id: In(cars.map((car) => car.id)) }, { createdAt: new Date(today - 90 * DAY) });
      const plan: [number, number, number, BookingStatus, boolean][] = [
        // car, start offset (days), length (days), status, paid
        [0, -20, 3, 'Completed', true],
        [1, -12, 5, 'Completed', true],
        [2, -6, 2, 'Cancelled', false],
        [3, -2, 4, 'Confirmed', true],
        [4, 1, 3, 'Confirmed', false],
        [5, 3, 2, 'Pending', false],
        [6, 5, 7, 'Pending', false],
        [7, 2, 2, 'Rejected', false],
        [0, 10, 4, 'Pending', false],
        [8, -30, 2, 'Completed', true],
      ];
      const bookings = plan.map(([carIndex, offset, days, status, isPaid], index) => {
        const car = cars[carIndex];
        const startDate = new Date(today + offset * DAY);
        const endDate = new Date(startDate.getTime() + days * DAY);
        const renter = RENTERS[index % RENTERS.length];
        return manager.create(Booking, {
          carId: car.id,
          startDate,
          endDate,
          renterId: `renter-${(index % RENTERS.length) + 1}`,
          renterName: renter.name,
          renterEmail: renter.email,
          renterAccount: twoAgencies,
          status,
          isPaid,
          totalPrice: bookingPrice(car.pricePerDay, startDate, endDate),
          // Booked a few days ahead; a Pending one just now (its hold runs from its creation).
          createdAt: new Date(status === 'Pending' ? now : Math.min(now, startDate.getTime() - 5 * DAY)),
        });
      });
      await manager.save(bookings);

      const reviews = [0, 0, 1, 3, 5, 6, 8].map((carIndex, index) =>
        manager.create(Review, {
          carId: cars[carIndex].id,
          renterId: `renter-${(index % RENTERS.length) + 1}`,
          renterName: RENTERS[index % RENTERS.length].name,
          rating: [5, 4, 4, 5, 3, 5, 4][index],
          comment: COMMENTS[index % COMMENTS.length],
        }),
      );
      // Youssef's Completed booking (car 1) has his verified review; Amina's (car 0) is still to review.
      if (twoAgencies) {
        Object.assign(reviews[2], { bookingId: bookings[1].id, renterId: 'renter-2', renterName: RENTERS[1].name });
      }
      await manager.save(reviews);
      for (const agencyId of twoAgencies ? DEMO_AGENCIES.map((agency) => agency.id) : [BUILT_IN_AGENCY_ID]) {
        const own = cars.filter((car) => car.agencyId === agencyId).length;
        await manager.save(
          manager.create(
            Notification,
            toNotificationRow({
              agencyId,
              type: 'SYSTEM',
              category: 'system',
              link: '',
              text: { kind: 'demo.welcome', params: { cars: own } },
            }),
          ),
        );
      }
      return `Demo data loaded: ${cars.length} cars, ${bookings.length} bookings, ${reviews.length} reviews`;
    });
    return result;
  } finally {
    await dataSource.destroy();
  }
}

/**
 * How to get a token for the admin, each agency that exists (the demo's two, or whatever an older
 * database holds) and a demo renter: commands, never tokens (those are secrets).
 */
export async function demoTokenCommands(url: string): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(url, { poolSize: 1 })).initialize();
  try {
    const agencies = await dataSource.getRepository(Agency).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    // Single quotes: they paste as they are from the JSON log, which escapes double ones.
    return [
      'Demo identities (token mode): get a token with',
      '  npm run -s token -- --role admin',
      ...agencies.map((agency) => `  npm run -s token -- --role agency --agency ${agency.id}   # ${agency.name}`),
      ...DEMO_RENTERS.slice(0, 2).map(
        (renter) =>
          `  npm run -s token -- --role renter --sub ${renter.sub} --name '${renter.name}' --email ${renter.email}`,
      ),
    ];
  } finally {
    await dataSource.destroy();
  }
}
