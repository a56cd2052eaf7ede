import pino, { type DestinationStream, type Logger } from 'pino';
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

/**
 * Structured JSON logs, on stdout unless another destination is given. Writes to
 * stdout are buffered (a line per request would otherwise be a system call each);
 * `logger.flush()` empties the buffer, as the process does before it exits.
 */
export function createLogger(level: GatewayConfig['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }));
}
