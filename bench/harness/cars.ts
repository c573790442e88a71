/** Demo cars for benchmarks, in the dashboard's vocabulary, created through the API. */
import { postJson } from './common.js';

export function sampleCar(i: number) {
  return {
    make: ['Toyota', 'Dacia', 'Renault', 'Peugeot'][i % 4],
    model: `Model ${i}`,
    year: 2020 + (i % 5),
    type: ['SUV', 'Sedan', 'Hatchback'][i % 3],
    seats: 5,
    fuelType: ['Gasoline', 'Diesel', 'Hybrid'][i % 3],
    pricePerDay: 30 + i,
    location: ['Casablanca', 'Rabat', 'Marrakech'][i % 3],
    description: 'A reliable car for city and highway, recently serviced.',
    features: ['Bluetooth', 'Air conditioning', 'GPS'],
    images: ['/placeholder.svg?height=200&width=300'],
  };
}

/** Creates `count` cars through POST /cars on `apiUrl`; returns their ids. */
export async function createCars(apiUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await postJson(`${apiUrl}/cars`, sampleCar(i));
    if (response.status !== 201) throw new Error(`POST /cars answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}
