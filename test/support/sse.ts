import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { waitFor } from './wait.js';

/** A real SSE client over HTTP, parsing the stream the way a browser's EventSource does. */
export interface SseClient {
  response: IncomingMessage;
  events: EventSourceMessage[];
  comments: string[];
  retry: number | null;
  /** The last `id:` field the stream carried, as a browser keeps it for Last-Event-ID (events without data too). */
  lastEventId: string | null;
  /** Resolves once `count` events (with data) have arrived. */
  waitForEvents(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    req = request(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const client: SseClient = {
        response,
        events: [],
        comments: [],
        retry: null,
        lastEventId: null,
        waitForEvents: (count, timeoutMs = 5000) =>
          waitFor(
            () => (client.events.length >= count ? client.events : undefined),
            timeoutMs,
            `${count} SSE event(s)`,
          ),
        close: () => req?.destroy(),
      };
      const parser = createParser({
        onEvent: (event) => client.events.push(event),
        onComment: (comment) => client.comments.push(comment.trim()),
        onRetry: (retry) => (client.retry = retry),
      });
      response.setEncoding('utf8');
      let partial = '';
      response.on('data', (chunk: string) => {
        parser.feed(chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!;
        for (const line of lines) if (line.startsWith('id: ')) client.lastEventId = line.slice(4);
      });
      response.on('error', () => undefined);
      resolve(client);
    });
    req.on('error', reject);
    req.end();
  });
}
