import { ConfigurationError, type GatewayConfig, loadConfig } from './config/environment.js';
import { createLogger, logFatalCrashes } from './logger.js';
import { startGateway } from './server.js';

let config: GatewayConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel, config.logFormat);
/** Logs are buffered: write them out before the process ends. */
const exit = (code: number) => logger.flush(() => process.exit(code));
logFatalCrashes(logger);
try {
  const gateway = await startGateway(config, logger);
  logger.info({ graphql: `${gateway.url}/graphql` }, `icure-user-gateway listening on ${gateway.url}/graphql`);
  if (gateway.embeddedStoreUrl) {
    process.stderr.write(
      `Embedded store: ${gateway.embeddedStoreUrl} (while this gateway runs, other commands reach its data with COUCHDB_URL=${gateway.embeddedStoreUrl}, e.g. npm run seed)\n`,
    );
  }
  logger.flush();
  gateway.ready.then(
    () => {
      logger.info({ graphql: `${gateway.url}/graphql` }, 'ready');
      logger.flush();
    },
    (error: unknown) => {
      logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
      void gateway.close().finally(() => exit(1));
    },
  );
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    gateway.close().then(
      () => exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, `could not start: ${error instanceof Error ? error.message : String(error)}`);
  exit(1);
}
