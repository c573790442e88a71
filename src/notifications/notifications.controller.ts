import {
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  Sse,
  UseInterceptors,
  type MessageEvent,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ClientLimits } from '../limits/client-limits.service.js';
import {
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { SequenceIdPipe } from '../common/id.pipes.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { ListNotificationsQuery } from './list-notifications.query.js';
import { NotificationResponse } from './notification.response.js';
import { NotificationsService } from './notifications.service.js';

const SUCCESS = { success: true } as const;

@ApiTags('notifications')
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
  list(@Query() query: ListNotificationsQuery) {
    return this.notifications.list(query);
  }

  @Sse('sse')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Replay every notification after this id first' })
  @ApiQuery({ name: 'lastEventId', required: false, description: 'Same as the Last-Event-ID header' })
  @ApiOkResponse({ description: 'One unnamed event per notification: data is the Notification JSON, id its sequence' })
  @ApiTooManyRequestsResponse({ description: 'This client already holds RATE_LIMIT_STREAMS open streams' })
  stream(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Headers('last-event-id') header?: string,
    @Query('lastEventId') query?: string,
  ): Observable<MessageEvent> {
    response.once('close', this.limits.acquire('sse', request.ip ?? ''));
    const lastEventId = [header, query].find((value) => value !== undefined && /^\d{1,18}$/.test(value));
    return this.notifications.stream(response, lastEventId);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: SUCCESS } })
  async markAllRead() {
    await this.notifications.markAllRead();
    return SUCCESS;
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ schema: { example: SUCCESS } })
  @ApiNotFoundResponse()
  async markRead(@Param('id', SequenceIdPipe) id: string) {
    await this.notifications.markRead(id);
    return SUCCESS;
  }
}
