import { pino, type DestinationStream } from 'pino';
import type { LogFormat } from '../config/environment.js';

/** Lines for a person (pino-pretty) or for a collector (JSON): `auto` asks whether stdout is a terminal. */
export function prettyLogs(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/** Where the process's log lines go, and how to push out what is still buffered. */
export interface LogOutput {
  stream: DestinationStream;
  pretty: boolean;
  flush(): void;
}

let opened: Promise<LogOutput> | undefined;

/**
 * The process's one log output, shared by the start-up logger (main.ts) and the application's.
 * JSON lines go through pino's asynchronous destination: a request does not wait for its line to be
 * written (lines written meanwhile leave together), and what is left is written out at exit.
 * On a terminal: one readable line per event, through pino-pretty — a development dependency: where it
 * is not installed, JSON lines.
 */
export function openLogOutput(format: LogFormat): Promise<LogOutput> {
  return (opened ??= open(format));
}

async function open(format: LogFormat): Promise<LogOutput> {
  if (prettyLogs(format, process.stdout.isTTY === true)) {
    const pretty = await import('pino-pretty').catch(() => undefined);
    if (pretty) {
      const stream = pretty.default({
        sync: true,
        colorize: process.stdout.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname,context,req,res,responseTime',
        messageFormat: (log, messageKey) => readable(log, messageKey),
      });
      return { stream, pretty: true, flush: () => undefined };
    }
  }
  const stream = pino.destination({ dest: 1, sync: false });
  return { stream, pretty: false, flush: () => stream.flushSync() };
}

/** A request as `GET /cars 200 3 ms`; anything else as its message, after its context. */
function readable(log: Record<string, unknown>, messageKey: string): string {
  const context = typeof log.context === 'string' && log.context !== 'Bootstrap' ? `[${log.context}] ` : '';
  const request = log.req as { method?: string; url?: string } | undefined;
  const response = log.res as { statusCode?: number } | undefined;
  if (request && response) {
    return `${context}${request.method} ${request.url} ${response.statusCode} ${String(log.responseTime)} ms`;
  }
  return `${context}${String(log[messageKey])}`;
}
