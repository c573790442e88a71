/**
 * The same API work with identity on (token mode) and off (open mode), in the same run: GET /cars
 * with a bearer token, and the SSE and WebSocket fan-outs to agency streams and sockets that
 * authenticated with `?access_token=`. Verifying a token must not become the bottleneck.
 */
import { BUILT_IN_AGENCY_ID } from '../../src/agencies/agency.entity.js';
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import { httpLoad, medianRun, openSocket, ServerProcess } from '../harness/processes.js';
import { signHs256 } from '../../src/auth/sign-token.js';
import { measureFanout, type FanoutResult } from './fanout.js';

const log = logger('bench');
const SECRET = 'bench-secret-of-at-least-thirty-two-characters';

export interface ModeResult {
  getCars: HttpLoadResult;
  sse: FanoutResult;
  ws: FanoutResult;
}

export interface TokenModeResult {
  n: number;
  open: ModeResult;
  token: ModeResult;
}

const sign = (claims: Record<string, unknown>) => signHs256(SECRET, claims);

interface Mode {
  name: 'open' | 'token';
  env: NodeJS.ProcessEnv;
  /** Headers of the REST calls (an admin token in token mode). */
  auth: Record<string, string>;
  /** Query of the stream and socket URLs (an agency token in token mode). */
  query: string;
  senderQuery: string;
}

async function modes(): Promise<[Mode, Mode]> {
  const admin = await sign({ sub: 'bench-admin', role: 'admin' });
  const agency = await sign({ sub: 'bench-agency', role: 'agency', agency_id: BUILT_IN_AGENCY_ID });
  return [
    { name: 'open', env: {}, auth: {}, query: '', senderQuery: '' },
    {
      name: 'token',
      env: { AUTH_JWT_SECRET: SECRET },
      auth: { Authorization: `Bearer ${admin}` },
      query: `?access_token=${agency}`,
      senderQuery: `?access_token=${admin}`,
    },
  ];
}

/**
 * GET /cars on both modes' servers at once, in alternating rounds (one pair of runs on two shared
 * cores differs by ±20% from noise alone; the median of three alternating rounds does not).
 */
async function getCarsBothModes(databaseUrl: string, both: [Mode, Mode], seconds: number): Promise<HttpLoadResult[]> {
  const servers = await Promise.all(both.map((mode) => ServerProcess.start('api', databaseUrl, mode.env)));
  try {
    const runs: HttpLoadResult[][] = [[], []];
    for (const [index, mode] of both.entries())
      await httpLoad({ url: `${servers[index].url}/cars`, connections: 10, durationSeconds: 2, headers: mode.auth });
    for (let round = 0; round < 3; round++) {
      for (const [index, mode] of both.entries()) {
        log(`GET /cars, ${mode.name} mode, round ${round + 1} of 3: ${seconds}s with 50 connections`);
        const url = `${servers[index].url}/cars`;
        runs[index].push(await httpLoad({ url, connections: 50, durationSeconds: seconds, headers: mode.auth }));
      }
    }
    return runs.map(medianRun);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function fanoutsOf(
  mode: Mode,
  databaseUrl: string,
  carIds: string[],
  n: number,
  trials: number,
): Promise<Pick<ModeResult, 'sse' | 'ws'>> {
  log(`${mode.name} mode: SSE fan-out to ${n}`);
  const api = await ServerProcess.start('api', databaseUrl, mode.env);
  const review = { carId: carIds[1], renterId: 'renter-1', renterName: 'Bench', rating: 5, comment: 'Great' };
  const sse = await measureFanout(api, 'sse', `/notifications/sse${mode.query}`, n, trials, async () => {
    await postJson(`${api.url}/reviews`, review, mode.auth);
  });
  await api.stop();

  log(`${mode.name} mode: WebSocket broadcast to ${n}`);
  const chat = await ServerProcess.start('api', databaseUrl, mode.env);
  const sender = await openSocket(`${chat.url.replace(/^http/, 'ws')}/ws/chat${mode.senderQuery}`);
  let sent = 0;
  try {
    const ws = await measureFanout(chat, 'ws', `/ws/chat${mode.query}`, n, trials, () => {
      const frame = {
        id: `bench-${mode.name}-${++sent}`,
        sender: 'admin',
        content: 'Hi',
        agencyId: BUILT_IN_AGENCY_ID,
      };
      sender.send(JSON.stringify(frame));
      return Promise.resolve();
    });
    return { sse, ws };
  } finally {
    sender.terminate();
    await chat.stop();
  }
}

export async function benchTokenMode(
  databaseUrl: string,
  carIds: string[],
  n: number,
  seconds: number,
  trials: number,
): Promise<TokenModeResult> {
  const both = await modes();
  const [openCars, tokenCars] = await getCarsBothModes(databaseUrl, both, seconds);
  const open = { getCars: openCars, ...(await fanoutsOf(both[0], databaseUrl, carIds, n, trials)) };
  const token = { getCars: tokenCars, ...(await fanoutsOf(both[1], databaseUrl, carIds, n, trials)) };
  return { n, open, token };
}

export function tokenModeRows(r: TokenModeResult): string[][] {
  const ratio = (token: number, open: number) => fixed(token / open, 2);
  return [
    [
      'token mode: GET /cars req/s (bearer token; median of 3 alternating rounds)',
      fixed(r.token.getCars.requestsPerSecond, 0),
      `${fixed(r.open.getCars.requestsPerSecond, 0)} (open mode)`,
      ratio(r.token.getCars.requestsPerSecond, r.open.getCars.requestsPerSecond),
      '>= 0.90',
    ],
    [
      `token mode: SSE fan-out to ${r.n} p50 / p99 ms`,
      `${fixed(r.token.sse.p50)} / ${fixed(r.token.sse.p99)}`,
      `${fixed(r.open.sse.p50)} / ${fixed(r.open.sse.p99)} (open mode)`,
      ratio(r.token.sse.p99, r.open.sse.p99),
      '<= 1.10',
    ],
    [
      `token mode: WebSocket fan-out to ${r.n} p50 / p99 ms`,
      `${fixed(r.token.ws.p50)} / ${fixed(r.token.ws.p99)}`,
      `${fixed(r.open.ws.p50)} / ${fixed(r.open.ws.p99)} (open mode)`,
      ratio(r.token.ws.p99, r.open.ws.p99),
      '<= 1.10',
    ],
  ];
}
