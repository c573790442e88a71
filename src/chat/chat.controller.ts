import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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
}

@ApiTags('chat')
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get('messages')
  @ApiOperation({ summary: 'Chat history, a page at a time' })
  @ApiOkResponse({ type: [ChatMessageResponse], description: 'The newest page, oldest first' })
  @ApiBadRequestResponse({ description: 'Invalid query' })
  history(@Query() query: ChatHistoryQuery): Promise<ChatMessageResponse[]> {
    if (query.before !== undefined && query.after !== undefined)
      throw new BadRequestException('Use either before or after, not both');
    return this.chat.history(query.limit, query);
  }
}
