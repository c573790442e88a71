/**
 * Baseline for GET /cars: node:http + pg, no framework, reading the page on every request and keeping
 * nothing between requests. PostgreSQL builds the JSON body itself (json_agg, one text value: the node
 * side only passes it on), the same bytes as the API's answer: the first 100 cars of active agencies,
 * newest first, each with its rating from car_ratings and its agency's id, name and city; and their
 * number for X-Total-Count. A prepared statement: planned once per connection.
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { serveCoordinator } from './child.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const PAGE = {
  name: 'cars-page',
  text: `
  SELECT coalesce(json_agg(json_build_object(
           'id', c.id, 'agencyId', c.agency_id, 'make', c.make, 'model', c.model, 'year', c.year, 'type', c.type,
           'seats', c.seats, 'fuelType', c.fuel_type, 'pricePerDay', c.price_per_day::float8, 'available', c.available,
           'location', c.location, 'description', c.description, 'features', c.features, 'images', c.images,
           'averageRating', round(r.rating_sum::numeric / NULLIF(r.review_count, 0), 2)::float8,
           'reviewCount', coalesce(r.review_count, 0),
           'agency', json_build_object('id', a.id, 'name', a.name, 'city', coalesce(a.city, '')),
           'createdAt', ${iso('c.created_at')}, 'updatedAt', ${iso('c.updated_at')})
         ORDER BY c.created_at DESC, c.id), '[]')::text AS body,
         (SELECT count(*) FROM cars t WHERE t.deleted_at IS NULL
             AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = t.agency_id AND a.status = 'active')) AS total
    FROM (SELECT * FROM cars c WHERE c.deleted_at IS NULL
             AND EXISTS (SELECT 1 FROM agencies a WHERE a.id = c.agency_id AND a.status = 'active')
           ORDER BY c.created_at DESC, c.id LIMIT 100) c
    JOIN agencies a ON a.id = c.agency_id
    LEFT JOIN car_ratings r ON r.car_id = c.id`,
};

const server = createServer((request, response) => {
  if (request.url !== '/cars') {
    response.writeHead(404).end();
    return;
  }
  pool.query<{ body: string; total: string }>(PAGE).then(
    ({ rows: [{ body, total }] }) => {
      response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Total-Count': total });
      response.end(body);
    },
    () => response.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
