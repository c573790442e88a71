/**
 * The scale runs: a renter's typical search (a week's `from`/`to`, `priceMax`, `fuelType`, `sort=price`, first page)
 * on the API over two `seed:scale` data sets that differ only in their bookings (10,000 and
 * 1,000,000), anonymous as most renters browse. Every request asks for another week, so none is
 * answered from the list cache: this times the query. The plan of one such query at each size is
 * kept with the figures. On the same data, the admin team's figures, each request another period:
 * the overview (GET /admin/overview) over 30 days and over three years (ending at any hour, so
 * that both ends read part of a day from the tables), and a 12-month monthly series
 * (GET /admin/overview/series).
 */
import { signHs256 } from '../../src/auth/sign-token.js';
import { catalogueSql } from '../../src/cars/cars.repository.js';
import type { ListCarsQuery } from '../../src/cars/dto/list-cars.query.js';
import { DEFAULT_SCALE, seedScale } from '../../src/database/seed-scale.js';
import type { BenchDatabase } from '../harness/bench-database.js';
import { fixed, logger } from '../harness/common.js';
import { httpLoad, ServerProcess } from '../harness/processes.js';
import type { HttpLoadResult } from '../load/autocannon.js';

const log = logger('bench');
const DAY = 24 * 60 * 60 * 1000;
const SEARCHES = 3000;
const CONNECTIONS = 10;
const TOKEN_SECRET = 'bench-secret-of-at-least-32-characters!!';

export interface SearchRow {
  bookings: number;
  distinct: HttpLoadResult;
  repeated: HttpLoadResult;
  plan: string;
  overview: HttpLoadResult;
  overviewYears: HttpLoadResult;
  series: HttpLoadResult;
}

const OVERVIEWS = 300;

/** A 30-day overview ending `index` days before today (over the past year). */
const overview = (index: number) => {
  const to =
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - (index % 330) * DAY;
  return `/admin/overview?from=${new Date(to - 30 * DAY).toISOString()}&to=${new Date(to).toISOString()}`;
};

/** A three-year overview ending `index` hours before today's start. */
const overviewYears = (index: number) => {
  const to =
    Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - index * 3_600_000;
  return `/admin/overview?from=${new Date(to - 3 * 365 * DAY).toISOString()}&to=${new Date(to).toISOString()}`;
};

/** A 12-month monthly series ending `index` days before tomorrow. */
const series = (index: number) => {
  const to = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - index * DAY;
  const from = new Date(to);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return `/admin/overview/series?from=${day(from)}&to=${day(new Date(to))}&interval=month`;
};

/** The week a search asks about: spread over the coming year, one hour apart from the next. */
function week(index: number): { from: string; to: string } {
  const start = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1);
  const from = start + ((index * 37) % 330) * DAY + (index % 24) * 3_600_000;
  return { from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() };
}

const search = (index: number) => {
  const { from, to } = week(index);
  return `/cars?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&priceMax=80&fuelType=Diesel&sort=price&limit=20`;
};

export async function benchRenterSearch(database: BenchDatabase, sizes: number[]): Promise<SearchRow[]> {
  const rows: SearchRow[] = [];
  for (const bookings of sizes) {
    const data = await database.sibling(`search_${bookings}`);
    log(`Renter search: seeding ${bookings.toLocaleString('en-US')} bookings`);
    await seedScale(data.url, { ...DEFAULT_SCALE, bookings }, (message) => log(`  ${message}`));
    const api = await ServerProcess.start('api', data.url, { AUTH_JWT_SECRET: TOKEN_SECRET });
    try {
      const paths = Array.from({ length: SEARCHES }, (_, index) => search(index));
      await httpLoad({
        url: `${api.url}/cars`,
        paths: paths.slice(0, 200).map((_, i) => search(SEARCHES + i)),
        connections: CONNECTIONS,
        amount: 200,
      });
      const distinct = await httpLoad({ url: `${api.url}/cars`, paths, connections: CONNECTIONS, amount: SEARCHES });
      const repeated = await httpLoad({ url: `${api.url}${search(0)}`, connections: CONNECTIONS, amount: SEARCHES });
      log(
        `  p50/p99 ${distinct.latencyP50}/${distinct.latencyP99} ms (cached: ${repeated.latencyP50}/${repeated.latencyP99})`,
      );
      const admin = { Authorization: `Bearer ${await signHs256(TOKEN_SECRET, { sub: 'bench-admin', role: 'admin' })}` };
      const figures = async (name: string, path: (index: number) => string) => {
        const all = Array.from({ length: OVERVIEWS }, (_, index) => path(index));
        await httpLoad({ url: `${api.url}/cars`, paths: all.slice(0, 20), headers: admin, connections: 2, amount: 20 });
        const load = await httpLoad({
          url: `${api.url}/cars`,
          paths: all,
          headers: admin,
          connections: 2,
          amount: OVERVIEWS,
        });
        log(`  ${name} p50/p99 ${load.latencyP50}/${load.latencyP99} ms, ${load.non2xx + load.errors} failed`);
        if (load.non2xx + load.errors > 0) throw new Error(`${name}: ${load.non2xx + load.errors} requests failed`);
        return load;
      };
      rows.push({
        bookings,
        distinct,
        repeated,
        plan: await explain(data),
        overview: await figures('overview over 30 days', overview),
        overviewYears: await figures('overview over 3 years', overviewYears),
        series: await figures('12-month monthly series', series),
      });
    } finally {
      await api.stop();
    }
  }
  return rows;
}

/** EXPLAIN ANALYZE of the query the API runs for one search, as an anonymous caller. */
async function explain(database: BenchDatabase): Promise<string> {
  const { from, to } = week(1);
  const query = { from, to, priceMax: 80, fuelType: 'Diesel', sort: 'price', limit: 20, offset: 0 } as ListCarsQuery;
  const { sql, params } = catalogueSql(query, { kind: 'public' });
  const plan = await database.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
  return plan.map((line) => line['QUERY PLAN']).join('\n');
}

export function searchRows(rows: SearchRow[]): string[][] {
  const lines = rows.map((row) => [
    `Renter search at ${row.bookings.toLocaleString('en-US')} bookings p50 / p99 ms (cached)`,
    `${row.distinct.latencyP50} / ${row.distinct.latencyP99} (${row.repeated.latencyP50} / ${row.repeated.latencyP99})`,
    '',
    '',
    '',
  ]);
  const figures = [
    ['Admin overview (30 days)', (row: SearchRow) => row.overview],
    ['Admin overview (3 years)', (row: SearchRow) => row.overviewYears],
    ['Admin series (12 months, monthly)', (row: SearchRow) => row.series],
  ] as const;
  for (const [name, of] of figures) {
    for (const row of rows) {
      lines.push([
        `${name} at ${row.bookings.toLocaleString('en-US')} bookings p50 / p99 ms`,
        `${of(row).latencyP50} / ${of(row).latencyP99}`,
        '',
        '',
        '',
      ]);
    }
  }
  if (rows.length === 2) {
    const ratio = rows[1].distinct.latencyP99 / rows[0].distinct.latencyP99;
    lines.push(['Renter search p99, largest / smallest', '', '', fixed(ratio, 2), '<= 2.00']);
    for (const [name, of] of figures) {
      const figureRatio = of(rows[1]).latencyP99 / of(rows[0]).latencyP99;
      lines.push([`${name} p99, largest / smallest`, '', '', fixed(figureRatio, 2), '<= 4.00']);
    }
  }
  return lines;
}
