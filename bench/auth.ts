// npm run bench:auth — authenticated `currentUser` throughput with a password
// versus with a token, in the same run: the credential cache must keep bcrypt off
// the hot path (target: password ≥ 0.8 × token).
import { basicHeader, BENCH_ADMIN, graphql, load, report, startBenchGateway } from './support/harness.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const gateway = await startBenchGateway();
try {
  const admin = basicHeader(BENCH_ADMIN.login, BENCH_ADMIN.password);
  await graphql(gateway.url, 'mutation { createUser(input: { login: "bench-user", password: "bench user password" }) { id } }', admin);
  const password = basicHeader('bench-user', 'bench user password');
  const created = await graphql(gateway.url, 'mutation { createAuthenticationToken(userId: "bench-user", key: "bench") { token } }', password);
  const token = basicHeader('bench-user', created.createAuthenticationToken.token);
  const body = JSON.stringify({ query: '{ currentUser { id login } }' });
  const url = `${gateway.url}/graphql`;

  // Warm-up: the parse/validate caches, the connection pool, the credential cache.
  await load(url, body, { authorization: password }, { connections, seconds: 2 });
  await load(url, body, { authorization: token }, { connections, seconds: 2 });
  const withToken = await load(url, body, { authorization: token }, { connections, seconds });
  const withPassword = await load(url, body, { authorization: password }, { connections, seconds });
  const rows = [
    { scenario: 'currentUser with a token', ...withToken },
    { scenario: 'currentUser with a password', ...withPassword },
  ];
  const ratio = withPassword.requestsPerSecond / withToken.requestsPerSecond;
  await report('auth', rows, { 'password / token req/s': ratio, target: '≥ 0.8', connections, seconds });
  if (withToken.non2xx + withPassword.non2xx + withToken.errors + withPassword.errors > 0) throw new Error('some requests failed');
} finally {
  await gateway.close();
}
