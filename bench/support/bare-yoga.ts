// A bare graphql-yoga server with a hello-world schema, in a process of its own: the
// baseline of the gateway's overhead (same HTTP stack, none of the gateway's plugins).
// Usage: node --import tsx bench/support/bare-yoga.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
});
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
process.stdout.write(`bare yoga listening on http://127.0.0.1:${port}/graphql\n`);

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
