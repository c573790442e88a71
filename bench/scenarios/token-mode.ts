/**
 * The same API work with identity on (token mode) and off (open mode), in the same run: GET /cars
 * with a bearer token, and the SSE and WebSocket fan-outs to agency streams and sockets that
 * authenticated with `?access_token=`. Verifying a token must not become the bottleneck.
 */
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { BUILT_IN_AGENCY_ID } from '../../src/agencies/agency.entity.js';
import type { HttpLoadResult } from '../load/autocannon.js';
import { fixed, logger, postJson } from '../harness/common.js';
import { httpLoad, ServerProcess } from '../harness/processes.js';
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

function sign(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
}

async function openSender(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  await new Promise((done, reject) => {
    socket.once('open', done);
    socket.once('error', reject);
  });
  return socket;
}

async function runMode(
  mode: 'open' | 'token',
  databaseUrl: string,
  carIds: string[],
  n: number,
  seconds: number,
  trials: number,
): Promise<ModeResult> {
  const tokenMode = mode === 'token';
  const admin = await sign({ sub: 'bench-admin', role: 'admin' });
  const agency = await sign({ sub: 'bench-agency', role: 'agency', agency_id: BUILT_IN_AGENCY_ID });
  const auth: Record<string, string> = tokenMode ? { Authorization: `Bearer ${admin}` } : {};
  const query = tokenMode ? `?access_token=${agency}` : '';
  const env = tokenMode ? { AUTH_JWT_SECRET: SECRET } : {};

  log(`${mode} mode: GET /cars for ${seconds}s with 50 connections`);
  const api = await ServerProcess.start('api', databaseUrl, env);
  await httpLoad({ url: `${api.url}/cars`, connections: 10, durationSeconds: 2, headers: auth });
  const getCars = await httpLoad({ url: `${api.url}/cars`, connections: 50, durationSeconds: seconds, headers: auth });
  log(`${mode} mode: SSE fan-out to ${n}`);
  const review = { carId: carIds[1], renterId: 'renter-1', renterName: 'Bench', rating: 5, comment: 'Great' };
  const sse = await measureFanout(api, 'sse', `/notifications/sse${query}`, n, trials, async () => {
    await postJson(`${api.url}/reviews`, review, auth);
  });
  await api.stop();

  log(`${mode} mode: WebSocket broadcast to ${n}`);
  const chat = await ServerProcess.start('api', databaseUrl, env);
  const sender = await openSender(
    `${chat.url.replace(/^http/, 'ws')}/ws/chat${tokenMode ? `?access_token=${admin}` : ''}`,
  );
  let sent = 0;
  try {
    const ws = await measureFanout(chat, 'ws', `/ws/chat${query}`, n, trials, () => {
      sender.send(
        JSON.stringify({ id: `bench-${mode}-${++sent}`, sender: 'admin', content: 'Hi', agencyId: BUILT_IN_AGENCY_ID }),
      );
      return Promise.resolve();
    });
    return { getCars, sse, ws };
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
  const open = await runMode('open', databaseUrl, carIds, n, seconds, trials);
  const token = await runMode('token', databaseUrl, carIds, n, seconds, trials);
  return { n, open, token };
}

export function tokenModeRows(r: TokenModeResult): string[][] {
  const ratio = (token: number, open: number) => fixed(token / open, 2);
  return [
    [
      'token mode: GET /cars req/s (bearer token)',
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
