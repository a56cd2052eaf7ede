// The import rules of src/ and test/unit/ (npm run lint:imports, which also fails when it reads no module).
// Layers, lowest first: config/ and errors.ts; couch/; the User domain (users/ without
// users/schema/); auth/; schema/; users/schema/ (the User domain's GraphQL types and
// fields); then server.ts, main.ts and cli/, which wire them. A layer imports only
// layers below it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules import each other in a circle: one of them belongs in a lower layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve would slip past every other rule.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'config-is-a-leaf',
      comment: 'The configuration imports nothing of the gateway.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/config/' },
    },
    {
      name: 'error-catalogue-is-a-leaf',
      comment: 'The error catalogue imports nothing of the gateway, so that every layer may raise its errors.',
      severity: 'error',
      from: { path: '^src/errors\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'couch-knows-no-users',
      comment: 'couch/ is CouchDB: it knows neither the User domain, nor authentication, nor GraphQL.',
      severity: 'error',
      from: { path: '^src/couch/' },
      to: { path: '^src/(users|auth|schema)/' },
    },
    {
      name: 'domain-knows-no-graphql',
      comment: 'The User domain (users/ without users/schema/) knows neither authentication nor GraphQL.',
      severity: 'error',
      from: { path: '^src/users/', pathNot: '^src/users/schema/' },
      to: { path: '^src/(auth|schema|users/schema)/' },
    },
    {
      name: 'auth-knows-no-graphql-schema',
      comment: 'auth/ stands below schema/: the schema uses its scopes, never the other way round.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/(schema|users/schema)/' },
    },
    {
      name: 'graphql-fields-are-only-assembled',
      comment: 'users/schema/ registers fields on the builder; only the schema assembly (schema/index.ts) imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/users/schema/', '^src/schema/index\\.ts$'] },
      to: { path: '^src/users/schema/' },
    },
    {
      name: 'only-the-schema-imports-pothos',
      comment: 'Pothos is the GraphQL layer: only schema/ and users/schema/ use it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(schema|users/schema)/' },
      to: { path: '(^|/)node_modules/@pothos/' },
    },
    {
      name: 'unit-tests-need-no-server',
      comment: 'test/unit/ tests pure rules: nothing it reaches starts a server, a store or a CouchDB client.',
      severity: 'error',
      from: { path: '^test/unit/' },
      to: {
        path: '^(src/(server|main)\\.ts|src/couch/(client|connection|embedded-store)\\.ts|test/support/(test-gateway|test-couch|counting-proxy|processes)\\.ts)$',
        reachable: true,
      },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API: swc parses, and type-only imports count too.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Resolve packages' `exports` maps as Node does for ESM (e.g. @graphql-yoga/render-graphiql/graphiql).
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'] },
  },
};
