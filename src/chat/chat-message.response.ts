import { ApiProperty } from '@nestjs/swagger';
import { CHAT_SENDERS, type ChatMessage, type ChatSender } from './chat-message.entity.js';

export class ChatMessageResponse {
  @ApiProperty({ description: "The server's id for the message" }) id: string;
  @ApiProperty({ description: 'The id the sending client gave it (the dashboard: Date.now())' }) clientId: string;
  @ApiProperty({ format: 'uuid', description: 'The conversation: the agency talking with the admin team' })
  agencyId: string;
  @ApiProperty({ enum: CHAT_SENDERS }) sender: ChatSender;
  @ApiProperty() content: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export function toChatMessageResponse(row: ChatMessage): ChatMessageResponse {
  return {
    id: row.id,
    clientId: row.clientId,
    agencyId: row.agencyId,
    sender: row.sender,
    content: row.content,
    timestamp: row.timestamp.toISOString(),
  };
}
