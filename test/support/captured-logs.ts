import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';

export interface LoggedLine {
  level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  message: string;
}

/**
 * Collects what Nest's `Logger` writes instead of printing it, so that a spec provoking an error
 * can check it was logged, and a passing run prints no stack trace. `restore()` puts the console back.
 */
export function captureLogs(): { lines: LoggedLine[]; restore: () => void } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (message: unknown): void => {
      lines.push({ level, message: String(message) });
    };
  const collector: LoggerService = {
    log: at('log'),
    error: at('error'),
    warn: at('warn'),
    debug: at('debug'),
    verbose: at('verbose'),
    fatal: at('fatal'),
  };
  Logger.overrideLogger(collector);
  return { lines, restore: () => Logger.overrideLogger(new ConsoleLogger()) };
}
