import { ApiProperty } from '@nestjs/swagger';
import { CHAT_SENDERS, type ChatMessage, type ChatSender } from './chat-message.entity.js';

export class ChatMessageResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: CHAT_SENDERS }) sender: ChatSender;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export function toChatMessageResponse(row: ChatMessage): ChatMessageResponse {
  return { id: row.id, sender: row.sender, content: row.content, timestamp: row.timestamp.toISOString() };
}
