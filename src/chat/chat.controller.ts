import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Access, CurrentActor } from '../auth/access.decorator.js';
import { ownAgency, type Actor } from '../auth/actor.js';
import { ToNumber } from '../common/transforms.js';
import { ChatMessageResponse } from './chat-message.response.js';
import { ChatService } from './chat.service.js';

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

@ApiTags('chat')
@ApiBearerAuth()
@Access({ roles: ['agency', 'admin'] })
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get('messages')
  @ApiOperation({ summary: 'Chat history, a page at a time' })
  @ApiOkResponse({ type: [ChatMessageResponse], description: 'The newest page, oldest first' })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  history(@CurrentActor() actor: Actor, @Query() query: ChatHistoryQuery): Promise<ChatMessageResponse[]> {
    if (query.before !== undefined && query.after !== undefined)
      throw new BadRequestException('Use either before or after, not both');
    // An agency reads its own conversation, whatever it asks for.
    return this.chat.history(query.limit, { ...query, agencyId: ownAgency(actor) ?? query.agencyId });
  }
}
