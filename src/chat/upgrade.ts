import type { IncomingMessage } from 'node:http';
import type { Standing } from '../access/standing.js';
import { OPEN, type Actor } from '../access/actor.js';
import { bearerToken } from '../auth/bearer-token.js';
import { hostRefusal, refusal, type OriginPolicy } from '../auth/origins.js';
import { isLoopback, OPEN_MODE_REMOTE_MESSAGE } from '../auth/remote-access.js';
import { InvalidTokenError, type TokenVerifier } from '../auth/token-verifier.service.js';

/** Who may open a chat socket: the actor, or the status and reason of the refusal (before the handshake). */
export type UpgradeCheck = (request: IncomingMessage) => Promise<{ actor: Actor } | { status: number; reason: string }>;

/** The actor the upgrade was accepted for, on the upgrade request (the gateway reads it on connection). */
export const UPGRADE_ACTOR = Symbol('upgradeActor');

/**
 * Who may open the chat socket, decided before the handshake. CORS does not cover WebSockets: a
 * browser page from an origin the OriginPolicy does not allow is refused (403). Open mode: loopback
 * clients only (unless ALLOW_REMOTE_WITHOUT_AUTH). Token mode: a valid agency or admin token, as
 * `Authorization: Bearer` or `?access_token=` (401 without one, 403 for a renter or a suspended account).
 */
export function chatUpgradeCheck(
  verifier: TokenVerifier,
  standing: Standing,
  options: { allowRemote: boolean; origins: OriginPolicy; clientAddress: (request: IncomingMessage) => string },
): UpgradeCheck {
  return async (request) => {
    const origin = request.headers.origin;
    if (!options.origins.allows(origin)) {
      return {
        status: 403,
        reason: verifier.mode === 'open' ? refusal(origin!) : `Origin ${origin} is not allowed (CORS_ORIGINS)`,
      };
    }
    if (verifier.mode === 'open') {
      if (!options.origins.allowsHost(request.headers.host))
        return { status: 403, reason: hostRefusal(request.headers.host) };
      if (!options.allowRemote && !isLoopback(options.clientAddress(request))) {
        return { status: 403, reason: OPEN_MODE_REMOTE_MESSAGE };
      }
      return { actor: OPEN };
    }
    const token = bearerToken(request, true);
    if (token === undefined) return { status: 401, reason: 'A bearer token is required (?access_token=)' };
    try {
      const user = await verifier.verify(token);
      if (await standing.isSuspended(user)) return { status: 403, reason: 'This account is suspended' };
      if (user.role === 'renter') return { status: 403, reason: 'The chat is between agencies and the admin team' };
      return { actor: user };
    } catch (error) {
      if (error instanceof InvalidTokenError) return { status: 401, reason: error.description };
      throw error;
    }
  };
}
