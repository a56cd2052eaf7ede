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

/** Structured JSON logs, on stdout unless another destination is given. */
export function createLogger(level: GatewayConfig['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: redactedPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
