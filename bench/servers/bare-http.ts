/** Baseline for GET /cars: node:http + pg, the same rows from the same PostgreSQL, no framework. */
import { createServer } from 'node:http';
import pg from 'pg';
import { serveCoordinator } from './child.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const SQL = `
  SELECT c.id, c.make, c.model, c.year, c.type, c.seats, c.fuel_type AS "fuelType",
         c.price_per_day::float8 AS "pricePerDay", c.available, c.location, c.description, c.features, c.images,
         s.average AS "averageRating", coalesce(s.count, 0) AS "reviewCount", c.created_at AS "createdAt", c.updated_at AS "updatedAt"
  FROM cars c
  LEFT JOIN (SELECT car_id, round(avg(rating), 2)::float8 AS average, count(*)::int AS count FROM reviews GROUP BY car_id) s
    ON s.car_id = c.id
  WHERE c.deleted_at IS NULL
  ORDER BY c.created_at DESC, c.id
  LIMIT 1000`;

const server = createServer((request, response) => {
  if (request.url !== '/cars') {
    response.writeHead(404).end();
    return;
  }
  pool.query(SQL).then(
    ({ rows }) => {
      const body = JSON.stringify(rows);
      response.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'X-Total-Count': String(rows.length),
      });
      response.end(body);
    },
    () => response.writeHead(500).end(),
  );
});
server.listen(0, '127.0.0.1', () => serveCoordinator((server.address() as { port: number }).port));
