import { randomUUID } from 'node:crypto';
import { isUUID } from 'class-validator';
import { CHAT_SENDERS, type ChatSender } from './chat-message.entity.js';

/** A frame from a client, completed: `id` is the client's own id for it. */
export interface IncomingChatMessage {
  id: string;
  sender: ChatSender;
  content: string;
  timestamp: string;
  /** The conversation an admin's message belongs to (ignored from an agency: its own). */
  agencyId?: string;
}

const MAX_ID_LENGTH = 100;
/** Times a client may give: what an ISO 8601 date with a four-digit year (and PostgreSQL) can hold. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/**
 * Completes a frame from a client into a ChatMessage, or says why it is not one.
 * The client's `id` and `timestamp` are kept when valid; the server fills them in
 * only when they are absent.
 */
export function parseIncomingMessage(
  raw: string,
  maxContentLength: number,
  now = new Date(),
): { message: IncomingChatMessage } | { error: string } {
  let frame: unknown;
  try {
    frame = JSON.parse(raw);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return { error: 'not a JSON object' };
  const { content, sender, id, timestamp, agencyId } = frame as Record<string, unknown>;

  if (typeof content !== 'string' || content.trim() === '') return { error: 'content must be a non-empty string' };
  if (content.includes('\u0000')) return { error: 'content must not contain NUL characters' };
  if (content.length > maxContentLength) return { error: `content is longer than ${maxContentLength} characters` };
  if (sender !== undefined && !CHAT_SENDERS.includes(sender as ChatSender)) {
    return { error: `sender must be one of ${CHAT_SENDERS.join(', ')}` };
  }
  if (id !== undefined && (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH || id.includes('\u0000'))) {
    return { error: `id must be a non-empty string of at most ${MAX_ID_LENGTH} characters` };
  }
  if (agencyId !== undefined && (typeof agencyId !== 'string' || !isUUID(agencyId))) {
    return { error: 'agencyId must be a UUID' };
  }
  let time = now;
  if (timestamp !== undefined) {
    time = new Date(typeof timestamp === 'string' || typeof timestamp === 'number' ? timestamp : NaN);
    if (Number.isNaN(time.getTime())) return { error: 'timestamp must be an ISO 8601 date' };
    if (time.getTime() < EARLIEST || time.getTime() >= LATEST) {
      return { error: 'timestamp must be between 1970 and 9999' };
    }
  }
  return {
    message: {
      id: id ?? randomUUID(),
      sender: (sender as ChatSender | undefined) ?? 'agency',
      content,
      timestamp: time.toISOString(),
      ...(agencyId === undefined ? {} : { agencyId: agencyId.toLowerCase() }),
    },
  };
}
