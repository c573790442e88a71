import type { IncomingMessage } from 'node:http';
import type { Actor } from '../auth/actor.js';

/** Who may open a chat socket: the actor, or the status and reason of the refusal (before the handshake). */
export type UpgradeCheck = (request: IncomingMessage) => Promise<{ actor: Actor } | { status: number; reason: string }>;

/** The actor the upgrade was accepted for, on the upgrade request (the gateway reads it on connection). */
export const UPGRADE_ACTOR = Symbol('upgradeActor');
