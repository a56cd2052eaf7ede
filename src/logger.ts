import pino, { type Logger } from 'pino';
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

/** Structured JSON logs on stdout. */
export function createLogger(level: GatewayConfig['logLevel']): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}
