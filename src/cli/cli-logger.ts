import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** A command's progress and warnings as plain lines on stderr; stdout keeps its result. */
export function createCliLogger(): Logger {
  return pino({ level: 'info' }, pretty({ destination: 2, sync: true, hideObject: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' }));
}
