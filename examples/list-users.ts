/**
 * Prints the first page of users with the generated, typed `ListUsers` document.
 *
 *   GATEWAY_URL=http://127.0.0.1:4000 GATEWAY_LOGIN=admin GATEWAY_PASSWORD=… node --import tsx examples/list-users.ts
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { ListUsersDocument } from './generated/graphql.js';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000';
const login = requiredEnv('GATEWAY_LOGIN');
const password = requiredEnv('GATEWAY_PASSWORD');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** One operation over HTTP; its result and variables are typed by the document. */
async function execute<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) {
    const [error] = body.errors ?? [];
    throw new Error(`HTTP ${response.status}: ${error?.extensions?.code ?? 'no data'}: ${error?.message ?? ''}`);
  }
  return body.data;
}

const { users } = await execute(ListUsersDocument, { first: 20 });
console.log(`${users.edges.length} of ${users.totalCount} users`);
for (const { node } of users.edges) {
  console.log([node.login ?? '-', node.id, node.email ?? '-', node.status].join('\t'));
}
if (users.pageInfo.hasNextPage) console.log(`next page: after "${users.pageInfo.endCursor}"`);
