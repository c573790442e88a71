import { randomUUID } from 'node:crypto';
import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { WebSocket, type WebSocketServer as Server } from 'ws';
import type { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.service.js';
import type { ChatMessageResponse } from './chat-message.response.js';
import { ChatService } from './chat.service.js';
import { isDatabaseUnavailable } from '../database/database-errors.js';
import { parseIncomingMessage } from './incoming-chat-message.js';
import type { IncomingMessage } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { BUILT_IN_AGENCY_ID } from '../agencies/agency.entity.js';
import { atExpiry, isUser, OPEN, type Actor } from '../auth/actor.js';
import type { ChatSender } from './chat-message.entity.js';
import { UPGRADE_ACTOR } from './upgrade.js';

/** Every frame a client sends reaches `onMessage` under this event name (see ChatWsAdapter). */
export const CHAT_FRAME_EVENT = 'chat-frame';
const GOING_AWAY = 1001;
const POLICY_VIOLATION = 1008;
/** "Try again later": the message could not be stored; the client reconnects and sends it again. */
const TRY_AGAIN_LATER = 1013;
const RATE_WINDOW_MS = 10_000;
/** How long a message waits for the database (an outage, a restart) before its sender is told. */
const STORE_PATIENCE_MS = 30_000;

/**
 * Who a socket speaks for. `sender` is fixed by its token (null in open mode: the frame says);
 * `agencyId` is the one conversation it belongs to, undefined when it sees every conversation
 * (the admin team, open mode).
 */
interface Speaker {
  sender: ChatSender | null;
  senderId: string;
  agencyId?: string;
}

const OPEN_SPEAKER: Speaker = { sender: null, senderId: '' };

function speakerOf(actor: Actor): Speaker {
  if (!isUser(actor)) return OPEN_SPEAKER;
  return actor.role === 'agency'
    ? { sender: 'agency', senderId: actor.sub, agencyId: actor.agencyId ?? undefined }
    : { sender: 'admin', senderId: actor.sub };
}

interface FrameWindow {
  startedAt: number;
  count: number;
}

/**
 * The agency–admin chat on /ws/chat: plain JSON ChatMessage frames. A message is
 * stored, then relayed through PostgreSQL to every other socket on every process.
 * Only ChatMessages are ever sent: bad frames are logged and dropped.
 */
@WebSocketGateway({ path: '/ws/chat' })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown {
  @WebSocketServer() private readonly server: Server;

  private readonly logger = new Logger(ChatGateway.name);
  /** Names each socket across processes, so a relayed message can skip its sender. */
  private readonly instanceId = randomUUID();
  private readonly socketIds = new WeakMap<WebSocket, string>();
  private readonly alive = new WeakSet<WebSocket>();
  /** Each socket's messages are stored one after another, so they keep the order they were sent in. */
  private readonly queues = new WeakMap<WebSocket, Promise<void>>();
  private readonly windows = new WeakMap<WebSocket, FrameWindow>();
  private readonly speakers = new WeakMap<WebSocket, Speaker>();
  /** Sockets still receiving their history: live frames wait here, with their order. */
  private readonly catchingUp = new WeakMap<WebSocket, { seq: bigint; frame: string }[]>();
  private readonly historyOnConnect: number;
  private nextSocket = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly echoToSender: boolean;
  private readonly maxContentLength: number;
  private readonly pingIntervalMs: number;
  private readonly maxBacklogBytes: number;
  /** Frames per socket per 10 s; 0 = no limit. */
  private readonly frameLimit: number;

  constructor(
    private readonly chat: ChatService,
    config: ConfigService<Environment, true>,
    private readonly metrics: Metrics,
  ) {
    metrics.gauge('chat_open_sockets', 'Open chat sockets on this process', () => this.openSockets);
    this.echoToSender = config.get('CHAT_ECHO_TO_SENDER', { infer: true });
    this.maxBacklogBytes = config.get('CHAT_MAX_BACKLOG_BYTES', { infer: true });
    this.frameLimit =
      config.get('RATE_LIMITS', { infer: true }) === 'on' ? config.get('RATE_LIMIT_CHAT', { infer: true }) : 0;
    this.maxContentLength = config.get('CHAT_MAX_CONTENT_LENGTH', { infer: true });
    this.pingIntervalMs = config.get('WS_PING_INTERVAL_MS', { infer: true });
    this.historyOnConnect = config.get('CHAT_HISTORY_ON_CONNECT', { infer: true });
  }

  /** Open chat sockets on this process. */
  get openSockets(): number {
    return this.server?.clients.size ?? 0;
  }

  afterInit(): void {
    // Every stored message, from every process, in delivery order (completes at shutdown).
    this.chat.relayed.subscribe(({ message, origin, seq }) => this.broadcast(message, origin, seq));
    // Sockets that stopped answering pings since the last round are dead: close them.
    this.heartbeat = setInterval(() => {
      for (const socket of this.server.clients) {
        if (!this.alive.has(socket)) {
          socket.terminate();
          continue;
        }
        this.alive.delete(socket);
        socket.ping();
      }
    }, this.pingIntervalMs);
    this.heartbeat.unref();
  }

  handleConnection(socket: WebSocket, request?: IncomingMessage & { [UPGRADE_ACTOR]?: Actor }): void {
    this.socketIds.set(socket, `${this.instanceId}:${++this.nextSocket}`);
    const actor = request?.[UPGRADE_ACTOR] ?? OPEN;
    this.speakers.set(socket, speakerOf(actor));
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    if (isUser(actor)) {
      // A socket lives as long as its token: then 1008, and the client reconnects with a fresh one.
      socket.once(
        'close',
        atExpiry(actor, () => socket.close(POLICY_VIOLATION, 'Token expired')),
      );
    }
    if (this.historyOnConnect > 0) void this.sendHistory(socket);
  }

  /**
   * CHAT_HISTORY_ON_CONNECT: the last N messages relayed before this socket connected, as ordinary
   * frames, oldest first, then the live ones. Live frames that arrive meanwhile wait. The history
   * stops where delivery stood at the connection, so a message this socket sends right away comes
   * back to it neither as history nor live.
   */
  private async sendHistory(socket: WebSocket): Promise<void> {
    const waiting: { seq: bigint; frame: string }[] = [];
    this.catchingUp.set(socket, waiting);
    const upTo = this.chat.deliveredUpTo;
    try {
      const { agencyId } = this.speakers.get(socket) ?? OPEN_SPEAKER;
      for (const { message } of await this.chat.recent(this.historyOnConnect, String(upTo + 1n), agencyId)) {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      }
    } catch (error) {
      this.logger.warn(`Could not send chat history to a new socket: ${String(error)}`);
    } finally {
      this.catchingUp.delete(socket);
      for (const { seq, frame } of waiting) if (seq > upTo && socket.readyState === WebSocket.OPEN) socket.send(frame);
    }
  }

  handleDisconnect(socket: WebSocket): void {
    this.alive.delete(socket);
  }

  @SubscribeMessage(CHAT_FRAME_EVENT)
  onMessage(@ConnectedSocket() socket: WebSocket, @MessageBody() raw: string): void {
    if (!this.withinRate(socket)) return;
    const queue = (this.queues.get(socket) ?? Promise.resolve()).then(() => this.handleFrame(socket, raw));
    this.queues.set(socket, queue);
  }

  /** Never throws: an error frame would reach the dashboard as a chat message. */
  private async handleFrame(socket: WebSocket, raw: string): Promise<void> {
    const parsed = parseIncomingMessage(raw, this.maxContentLength);
    if ('error' in parsed) {
      this.logger.warn(`Dropped an invalid chat frame (${parsed.error}): ${raw.slice(0, 200)}`);
      return;
    }
    const speaker = this.speakers.get(socket) ?? OPEN_SPEAKER;
    // The token says who speaks; only open mode takes the frame's word for it.
    const sender = speaker.sender ?? parsed.message.sender;
    const senderId = speaker.sender ? speaker.senderId : `open:${sender}`;
    // An agency speaks in its own conversation; the admin names one; open mode defaults to the built-in agency.
    const agencyId =
      speaker.agencyId ??
      (speaker.sender === 'admin' ? parsed.message.agencyId : (parsed.message.agencyId ?? BUILT_IN_AGENCY_ID));
    if (!agencyId) {
      this.logger.warn(`Dropped an admin chat frame without agencyId (which conversation?): ${raw.slice(0, 200)}`);
      return;
    }
    const message = { ...parsed.message, sender };
    const deadline = Date.now() + STORE_PATIENCE_MS;
    for (let delay = 250; ; delay = Math.min(delay * 2, 2000)) {
      try {
        const stored = await this.chat.post(message, this.socketIds.get(socket) ?? '', { agencyId, senderId });
        if (!stored) this.logger.debug(`Ignored a resend of chat message ${parsed.message.id}`);
        return;
      } catch (error) {
        if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') {
          this.logger.warn(`Dropped a chat frame naming an agency that does not exist: ${raw.slice(0, 200)}`);
          return;
        }
        // The database is down or restarting: the message waits (this socket's later ones queue behind it).
        if (isDatabaseUnavailable(error) && Date.now() + delay < deadline) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        this.logger.error(`Could not store chat message ${parsed.message.id}: ${String(error)}`);
        // Never an error frame (the dashboard would show it as a message): the close code tells the sender.
        if (socket.readyState === WebSocket.OPEN) socket.close(TRY_AGAIN_LATER, 'Message not stored; send it again');
        return;
      }
    }
  }

  /**
   * RATE_LIMIT_CHAT frames per 10 s per socket: more are dropped; a socket that
   * keeps sending at twice the limit is closed (1008).
   */
  private withinRate(socket: WebSocket): boolean {
    if (this.frameLimit === 0) return true;
    const now = Date.now();
    let window = this.windows.get(socket);
    if (!window || now - window.startedAt >= RATE_WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(socket, window);
    }
    window.count += 1;
    if (window.count <= this.frameLimit) return true;
    if (window.count === this.frameLimit + 1) this.logger.warn('A chat socket passed its frame limit; dropping frames');
    if (window.count >= 2 * this.frameLimit) socket.close(POLICY_VIOLATION, 'Too many messages');
    return false;
  }

  beforeApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const socket of this.server?.clients ?? []) socket.close(GOING_AWAY, 'Server shutting down');
  }

  /** Serializes once, then writes to every open socket of this process but the sender's. */
  private broadcast(message: ChatMessageResponse, origin: string, seq: bigint): void {
    const frame = JSON.stringify(message);
    let sent = 0;
    for (const socket of this.server.clients) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (!this.echoToSender && this.socketIds.get(socket) === origin) continue;
      const conversation = this.speakers.get(socket)?.agencyId;
      if (conversation !== undefined && conversation !== message.agencyId) continue; // another agency's
      const waiting = this.catchingUp.get(socket);
      if (waiting) {
        waiting.push({ seq, frame });
        continue;
      }
      if (socket.bufferedAmount > this.maxBacklogBytes) {
        // Not reading: drop it rather than buffer without bound; it reconnects and catches up from history.
        socket.terminate();
        continue;
      }
      socket.send(frame);
      sent += 1;
    }
    if (sent > 0) this.metrics.chatRelayed.inc(sent);
  }
}
