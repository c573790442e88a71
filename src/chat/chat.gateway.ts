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
import type { IncomingMessage } from 'node:http';
import type { Subscription } from 'rxjs';
import { QueryFailedError } from 'typeorm';
import { WebSocket, type WebSocketServer as Server } from 'ws';
import { BUILT_IN_AGENCY_ID } from '../access/standing-rule.js';
import { policies } from '../access/policies.js';
import { isUser, OPEN, type Actor } from '../access/actor.js';
import type { Environment } from '../config/environment.js';
import { patiently } from '../database/availability.js';
import { Metrics } from '../metrics/metrics.service.js';
import { viewerOf } from '../access/audience.js';
import { tokenExpiry } from '../realtime/clients.js';
import { Standing } from '../access/standing.js';
import type { ChatSender } from './chat-message.entity.js';
import { ChatService, type RelayedChatMessage } from './chat.service.js';
import { parseIncomingMessage } from './incoming-chat-message.js';
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
  const agencyId = policies.conversation(actor);
  return agencyId ? { sender: 'agency', senderId: actor.sub, agencyId } : { sender: 'admin', senderId: actor.sub };
}

interface FrameWindow {
  startedAt: number;
  count: number;
}

/**
 * The agency–admin chat on /ws/chat: plain JSON ChatMessage frames. A message is stored (an outbox
 * row), and every socket on every process that takes part in its conversation gets it from the chat
 * feed (ChatService.follow). Only ChatMessages are ever sent: bad frames are logged and dropped.
 */
@WebSocketGateway({ path: '/ws/chat' })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, BeforeApplicationShutdown {
  @WebSocketServer() private readonly server: Server;

  private readonly logger = new Logger(ChatGateway.name);
  /** Names each socket across processes, so that its own messages are not sent back to it. */
  private readonly instanceId = randomUUID();
  private readonly socketIds = new WeakMap<WebSocket, string>();
  private readonly alive = new WeakSet<WebSocket>();
  /** Each socket's messages are stored one after another, so they keep the order they were sent in. */
  private readonly queues = new WeakMap<WebSocket, Promise<void>>();
  private readonly windows = new WeakMap<WebSocket, FrameWindow>();
  private readonly speakers = new WeakMap<WebSocket, Speaker>();
  /** What each socket receives from the chat feed, and its token's expiry: both end with it. */
  private readonly subscriptions = new WeakMap<WebSocket, Subscription>();
  private readonly historyOnConnect: number;
  private nextSocket = 0;
  private relayed = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly echoToSender: boolean;
  private readonly maxContentLength: number;
  private readonly pingIntervalMs: number;
  private readonly maxBacklogBytes: number;
  /** Frames per socket per 10 s; 0 = no limit. */
  private readonly frameLimit: number;

  constructor(
    private readonly chat: ChatService,
    private readonly standing: Standing,
    config: ConfigService<Environment, true>,
    metrics: Metrics,
  ) {
    metrics.gauge('chat_open_sockets', 'Open chat sockets on this process', () => this.openSockets);
    metrics.counter('chat_messages_relayed_total', 'Chat frames sent to sockets of this process', () => this.relayed);
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

  /**
   * The socket follows its conversations (CHAT_HISTORY_ON_CONNECT: the last N messages first); a
   * socket lives as long as its token: then 1008, and the client reconnects with a fresh one.
   */
  handleConnection(socket: WebSocket, request?: IncomingMessage & { [UPGRADE_ACTOR]?: Actor }): void {
    const socketId = `${this.instanceId}:${++this.nextSocket}`;
    this.socketIds.set(socket, socketId);
    const actor = request?.[UPGRADE_ACTOR] ?? OPEN;
    this.speakers.set(socket, speakerOf(actor));
    this.alive.add(socket);
    socket.on('pong', () => this.alive.add(socket));
    const subscription = this.chat
      .follow(viewerOf(actor), socketId, { history: this.historyOnConnect, echo: this.echoToSender })
      .subscribe({
        next: (item) => this.send(socket, item),
        error: (error: unknown) => this.logger.warn(`A chat socket stopped receiving: ${String(error)}`),
      });
    subscription.add(tokenExpiry(actor).subscribe(() => socket.close(POLICY_VIOLATION, 'Token expired')));
    if (isUser(actor)) {
      subscription.add(
        this.standing.suspended(actor).subscribe(() => socket.close(POLICY_VIOLATION, 'Account suspended')),
      );
    }
    this.subscriptions.set(socket, subscription);
  }

  handleDisconnect(socket: WebSocket): void {
    this.alive.delete(socket);
    this.subscriptions.get(socket)?.unsubscribe();
  }

  @SubscribeMessage(CHAT_FRAME_EVENT)
  onMessage(@ConnectedSocket() socket: WebSocket, @MessageBody() raw: string): void {
    if (!this.withinRate(socket)) return;
    const queue = (this.queues.get(socket) ?? Promise.resolve()).then(() => this.handleFrame(socket, raw));
    this.queues.set(socket, queue);
  }

  beforeApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const socket of this.server?.clients ?? []) socket.close(GOING_AWAY, 'Server shutting down');
  }

  /** One message to one socket; a socket that stopped reading is dropped (it reconnects and catches up from history). */
  private send(socket: WebSocket, { frame }: RelayedChatMessage): void {
    if (socket.readyState !== WebSocket.OPEN) return;
    if (socket.bufferedAmount > this.maxBacklogBytes) {
      socket.terminate();
      return;
    }
    socket.send(frame);
    this.relayed += 1;
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
    // Whatever its standing, an agency talks to the admin team here: the one channel a suspended or
    // refused agency needs (its other writes are refused: mayWrite).
    const message = { ...parsed.message, sender };
    try {
      // While the database is down or restarting the message waits (this socket's later ones queue behind it).
      const stored = await patiently(
        () => this.chat.post(message, this.socketIds.get(socket) ?? '', { agencyId, senderId }),
        { patienceMs: STORE_PATIENCE_MS },
      );
      if (!stored) this.logger.debug(`Ignored a resend of chat message ${parsed.message.id}`);
    } catch (error) {
      const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
      if (code === '23503') {
        this.logger.warn(`Dropped a chat frame naming an agency that does not exist: ${raw.slice(0, 200)}`);
        return;
      }
      // A data exception (class 22) is the frame's fault: sending it again would fail again.
      if (code?.startsWith('22')) {
        this.logger.warn(`Dropped a chat frame the database refused (${code}): ${raw.slice(0, 200)}`);
        return;
      }
      this.logger.error(`Could not store chat message ${parsed.message.id}: ${String(error)}`);
      // Never an error frame (the dashboard would show it as a message): the close code tells the sender.
      if (socket.readyState === WebSocket.OPEN) socket.close(TRY_AGAIN_LATER, 'Message not stored; send it again');
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
}
