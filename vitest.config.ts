import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no exports map: without this, test files would load its ESM
    // build while Pothos and yoga load the CommonJS one ("another realm" errors).
    alias: { graphql: require.resolve('graphql/index.js') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // express-pouchdb (the embedded store) writes to the console from its own timers,
    // sometimes after a file's tests end: print directly rather than through the
    // worker's RPC, which is closed by then and would fail the run.
    disableConsoleIntercept: true,
  },
});
