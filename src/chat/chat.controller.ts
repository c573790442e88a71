import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import type { Actor } from '../access/actor.js';
import { policies } from '../access/policies.js';
import { UuidPipe } from '../common/id.pipes.js';
import { PaginationQuery } from '../common/pagination.query.js';
import { TotalCountInterceptor } from '../common/total-count.interceptor.js';
import { ToNumber } from '../common/transforms.js';
import { ChatInbox, ConversationResponse } from './chat-inbox.service.js';
import { ChatMessageResponse } from './chat-message.response.js';
import { ChatService } from './chat.service.js';
import { Audited } from '../audit/audited.decorator.js';

export class ChatHistoryQuery {
  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'A message id: return the page of messages sent before it', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  before?: string;

  @ApiPropertyOptional({
    description:
      'A message id: return the messages sent after it, oldest first (a reconnecting client catches up ' +
      'from the last message it saw). An unknown id returns the newest page. Not with `before`.',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  after?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The admin: one agency's conversation (an agency always sees its own)",
  })
  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class MarkReadDto {
  @ApiPropertyOptional({ description: 'A message id of the conversation', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  upTo?: string;
}

@ApiTags('chat')
@ApiBearerAuth()
@Access({ roles: ['agency', 'admin'] })
@Controller('chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly inbox: ChatInbox,
  ) {}

  @Get('messages')
  @ApiOperation({ summary: 'Chat history, a page at a time' })
  @ApiOkResponse({ type: [ChatMessageResponse], description: 'The newest page, oldest first' })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  history(@CurrentActor() actor: Actor, @Query() query: ChatHistoryQuery): Promise<ChatMessageResponse[]> {
    if (query.before !== undefined && query.after !== undefined)
      throw new BadRequestException('Use either before or after, not both');
    // An agency reads its own conversation, whatever it asks for.
    return this.chat.history(query.limit, { ...query, agencyId: policies.conversation(actor) ?? query.agencyId });
  }

  @Get('conversations')
  @Access({ roles: ['admin'] })
  @UseInterceptors(TotalCountInterceptor)
  @ApiOperation({ summary: 'The support inbox (admin): one row per agency conversation, most recent first' })
  @ApiOkResponse({ type: [ConversationResponse], description: 'Plain array; the total is in X-Total-Count' })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  conversations(@Query() page: PaginationQuery) {
    return this.inbox.conversations(page);
  }

  @Post('conversations/:agencyId/read')
  @Access({ roles: ['admin'] })
  @Audited('conversation.read')
  @HttpCode(200)
  @ApiOperation({ summary: "Mark an agency's conversation read up to a message (its newest by default)" })
  @ApiParam({ name: 'agencyId', format: 'uuid' })
  @ApiOkResponse({ schema: { type: 'object', properties: { unread: { type: 'integer' } }, required: ['unread'] } })
  @ApiNotFoundResponse({ description: 'No conversation with that agency, or no such message in it' })
  @ApiBadRequestResponse({ description: 'Invalid agency id or body' })
  markRead(@Param('agencyId', UuidPipe) agencyId: string, @Body() dto: MarkReadDto): Promise<{ unread: number }> {
    return this.inbox.markRead(agencyId, dto.upTo);
  }
}
