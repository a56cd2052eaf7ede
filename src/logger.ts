import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { GatewayConfig } from './config/environment.js';

/** Paths whose values are secrets and must never be written to a log. */
const redactedPaths = [
  'password',
  'newPassword',
  'passwordHash',
  'token',
  'secret',
  '*.password',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'err.request.headers.Authorization',
];

/** pino's number for `warn`: this level and above are written at once. */
const WARN = 40;

/**
 * Logs on stdout: JSON lines (`json`), or pino-pretty's human-readable lines (`pretty`,
 * for development); tests pass a destination stream instead.
 *
 * JSON lines are buffered, 4 KiB at a time (a line per request would otherwise be a
 * system call each), but a warning or an error empties the buffer at once, in order, so
 * that a crash right after it (even SIGKILL) cannot lose it. Buffered lines are written
 * within a second anyway, and when the process exits; `logger.flush()` empties the
 * buffer on demand.
 */
export function createLogger(level: GatewayConfig['logLevel'], output: DestinationStream | GatewayConfig['logFormat'] = 'json'): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  if (output === 'pretty') return pino(options, pinoPretty({ destination: 1, sync: true, colorize: process.stdout.isTTY }));
  if (output !== 'json') return pino(options, output);
  // Written synchronously when the buffer fills or is flushed: a flush is then complete when it returns.
  const stdout = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 1000 });
  process.once('exit', () => stdout.flush());
  return pino(
    {
      ...options,
      hooks: {
        logMethod(args, write, lineLevel) {
          write.apply(this, args);
          if (lineLevel >= WARN) stdout.flush();
        },
      },
    },
    stdout,
  );
}

/**
 * An uncaught exception or unhandled rejection ends the process with a fatal line
 * (written at once, with the buffered lines before it) instead of a bare stack on stderr.
 */
export function logFatalCrashes(logger: Logger): void {
  const crash = (what: string) => (error: unknown) => {
    logger.fatal({ err: error }, `${what}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  process.once('uncaughtException', crash('uncaught exception'));
  process.once('unhandledRejection', crash('unhandled promise rejection'));
}
