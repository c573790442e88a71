import {
  Controller,
  createParamDecorator,
  Delete,
  type ExecutionContext,
  Get,
  HttpCode,
  Ip,
  type MessageEvent,
  Param,
  Post,
  Query,
  Sse,
  SseSignal,
  UseInterceptors,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { ClientLimits, clientKey } from '../limits/client-limits.service.js';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOperation,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ApiSequenceParam, SequenceIdPipe } from '../common/id.pipes.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { ListNotificationsQuery } from './list-notifications.query.js';
import { NotificationResponse } from './notification.response.js';
import { NotificationsService } from './notifications.service.js';
import { MAX_CLIENT_BACKLOG } from '../config/environment.js';

const SUCCESS = { success: true } as const;

/**
 * Where a reconnecting client stands: the Last-Event-ID header, or `?lastEventId=` for clients that
 * cannot set headers; a value that is no event id is ignored (the client starts afresh). Read here
 * rather than with @Headers(), which would document the header as required.
 */
const LastEventId = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const request = context.switchToHttp().getRequest<Request>();
  return [request.headers['last-event-id'], request.query.lastEventId].find(
    (value): value is string => typeof value === 'string' && /^\d{1,18}$/.test(value),
  );
});

/**
 * Every signed-in user has a feed: an agency its agency's notifications, the admin team every
 * agency's, a renter those addressed to them.
 */
const SIGNED_IN = {} as const;

@ApiTags('notifications')
@ApiBearerAuth()
@Access(SIGNED_IN)
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly limits: ClientLimits,
  ) {}

  @Get()
  @UseInterceptors(TotalCountInterceptor)
  @ApiOkResponse({
    type: [NotificationResponse],
    description: 'Plain array, newest first; the total is in X-Total-Count',
  })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  @ApiOperation({ summary: 'List notifications, newest first' })
  list(@CurrentActor() actor: Actor, @Query() query: ListNotificationsQuery) {
    return this.notifications.list(query, actor);
  }

  @Sse('sse', { maxPendingDataLength: MAX_CLIENT_BACKLOG })
  @Access({ ...SIGNED_IN, queryToken: true })
  @ApiQuery({
    name: 'access_token',
    required: false,
    schema: { type: 'string' },
    description: 'The bearer token, for EventSource (which cannot send headers)',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Replay every notification after this id first' })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    schema: { type: 'string', pattern: '^[0-9]{1,18}$' },
    description: 'Same as the Last-Event-ID header',
  })
  @ApiOkResponse({
    description: 'One unnamed event per notification: data is the Notification JSON, id its place in delivery order',
  })
  @ApiTooManyRequestsResponse({ description: 'This client already holds RATE_LIMIT_STREAMS open streams' })
  @ApiOperation({ summary: 'Live notifications (Server-Sent Events), resumable with Last-Event-ID' })
  async stream(
    @CurrentActor() actor: Actor,
    @Ip() ip: string,
    @SseSignal() closed: AbortSignal,
    @LastEventId() lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    closed.addEventListener('abort', this.limits.acquire('sse', clientKey(ip, actor)), { once: true });
    // Worded in the reader's language, found once when the stream opens.
    return this.notifications.stream(actor, await this.notifications.localeOf(actor), lastEventId);
  }

  @Post('read-all')
  @ApiOperation({ summary: 'Mark every notification read' })
  @HttpCode(200)
  @ApiOkResponse({ schema: { type: 'object', properties: { success: { type: 'boolean', example: true } } } })
  async markAllRead(@CurrentActor() actor: Actor) {
    await this.notifications.markAllRead(actor);
    return SUCCESS;
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove one notification from your inbox' })
  @ApiSequenceParam()
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiOkResponse({ schema: { type: 'object', properties: { success: { type: 'boolean', example: true } } } })
  @ApiNotFoundResponse()
  async remove(@CurrentActor() actor: Actor, @Param('id', SequenceIdPipe) id: string) {
    await this.notifications.remove(id, actor);
    return SUCCESS;
  }

  @Post(':id/read')
  @ApiOperation({ summary: 'Mark one notification read' })
  @HttpCode(200)
  @ApiSequenceParam()
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiOkResponse({ schema: { type: 'object', properties: { success: { type: 'boolean', example: true } } } })
  @ApiNotFoundResponse()
  async markRead(@CurrentActor() actor: Actor, @Param('id', SequenceIdPipe) id: string) {
    await this.notifications.markRead(id, actor);
    return SUCCESS;
  }
}
