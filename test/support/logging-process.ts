import { createLogger, logFatalCrashes } from '../../src/logger.js';

/**
 * A process that logs as the gateway does (LOG_FORMAT from the environment), then
 * either says `logged` on stderr and waits to be killed, or (CRASH=1) throws an
 * uncaught exception. What it logged must be on stdout either way.
 */
const logger = createLogger('info', process.env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json');
logFatalCrashes(logger);
logger.info({ step: 1 }, 'an info line before the error');
if (process.env.CRASH) {
  setImmediate(() => {
    throw new Error('something broke');
  });
} else {
  logger.error({ step: 2, password: 'must-not-appear' }, 'an error just before a crash');
  logger.info({ step: 3 }, 'an info line after the error');
  process.stderr.write('logged\n');
  setInterval(() => {}, 60_000);
}
