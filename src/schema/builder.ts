import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import type { ZodError } from 'zod';
import { authScopes, describeScope, type AuthScopes } from '../auth/scopes.js';
import type { GatewayContext } from './context.js';
import { entityIdSchema } from '../users/user-validation.js';
import { badUserInput, forbidden, queryTooLarge, unauthenticated } from '../errors.js';

/** A page of 1000 users with a few dozen fields each fits; a hundred such pages do not. */
export const MAX_COMPLEXITY = 100_000;

/**
 * The one schema builder. Plugins: relay (Node, connections) and zod (argument
 * validation). User ids are CouchDB `_id`s used as they are, so the Node id is the
 * raw id; `User` is the only Node type.
 */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  Scalars: {
    ID: { Input: string; Output: string };
    Timestamp: { Input: Date; Output: Date | number };
    SafeInt: { Input: number; Output: number };
  };
  AuthScopes: AuthScopes;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
}>({
  // scope-auth first: it wraps everything else, so nothing runs for a refused caller.
  plugins: [ScopeAuthPlugin, RelayPlugin, ZodPlugin, ComplexityPlugin],
  scopeAuth: {
    authScopes,
    unauthorizedError: (_parent, context, _info, result) => (context.caller ? forbidden(`Not allowed: this needs ${missingRights(result.failure)}`) : unauthenticated()),
  },
  complexity: {
    // Connections count their `first`/`last`; other lists (a user's properties,
    // permissions, tokens) hold a handful of items and count 2.
    defaultComplexity: 1,
    defaultListMultiplier: 2,
    // Depth and breadth are armor's (see server.ts): this limit is about what a query asks CouchDB for.
    limit: { complexity: MAX_COMPLEXITY },
    complexityError: (kind, result) => {
      const measure = kind.toLowerCase() as 'complexity' | 'depth' | 'breadth';
      const limit = { complexity: result.maxComplexity, depth: result.maxDepth, breadth: result.maxBreadth }[measure];
      return queryTooLarge(measure, result[measure], limit);
    },
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: (_typename, id) => String(id),
    // Ids are validated here, where node(id)/nodes(ids) parse them.
    decodeGlobalID: (globalID) => ({ typename: 'User', id: parseUserId(globalID) }),
    nodeQueryOptions: {
      description: 'Relay object identification: the user with this id (a raw CouchDB `_id`), deleted ones included; null when absent.',
      args: { id: { description: 'CouchDB `_id` of the user.' } },
      authScopes: { authenticated: true },
    },
    nodesQueryOptions: {
      description: 'Relay object identification: the users with these ids, in the same order, null for each absent one.',
      args: { ids: { description: 'CouchDB `_id`s of the users.' } },
      authScopes: { authenticated: true },
    },
    nodeTypeOptions: { description: 'An object with a globally unique id: here, a User and its CouchDB `_id`.' },
    idFieldOptions: { description: 'The CouchDB `_id`, as iCure stores it (a UUID in practice).' },
    pageInfoTypeOptions: { description: 'Where a page stands in the whole list (Relay cursor connections).' },
    hasNextPageFieldOptions: { description: 'Whether a user follows this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether a user precedes this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first edge of the page; null when the page is empty.' },
    endCursorFieldOptions: { description: 'Cursor of the last edge of the page; null when the page is empty.' },
    pageInfoFieldOptions: { description: 'Where this page stands in the whole list.' },
    // The connection's page size already multiplies the cost of what is under it.
    edgesFieldOptions: {
      description: 'The page, in order, each item with its cursor.',
      nullable: { list: false, items: false },
      complexity: { field: 1, multiplier: 1 },
    },
    nodeFieldOptions: { description: 'The item.', nullable: false },
    cursorFieldOptions: { description: 'Opaque position of the item, for `after`/`before`.' },
    firstArgOptions: { description: 'Page size reading forwards (default 100, at most 1000).' },
    afterArgOptions: { description: 'Read the items after this cursor.' },
    lastArgOptions: { description: 'Page size reading backwards (at most 1000); goes with `before`.' },
    beforeArgOptions: { description: 'Read the items before this cursor.' },
  },
  zod: {
    validationError: (error: ZodError) =>
      badUserInput(
        error.issues.map((issue) => ({
          field: issue.path.map(String).join('.') || 'input',
          message: issue.message,
        })),
      ),
  },
});

builder.queryType({ description: 'Reads of iCure users.' });
builder.mutationType({ description: 'Writes of iCure users.' });

function parseUserId(id: string): string {
  const parsed = entityIdSchema.safeParse(id);
  if (!parsed.success) throw badUserInput([{ field: 'id', message: parsed.error.issues[0]?.message ?? 'invalid id' }]);
  return parsed.data;
}

/** The rights a refused caller lacked, as scope-auth reports them: e.g. `admin (…) or self (…)`. */
function missingRights(failure: AuthFailure): string {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return describeScope(failure.scope, failure.parameter);
    case AuthScopeFailureType.AnyAuthScopes:
      return failure.failures.map(missingRights).join(' or ');
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.map(missingRights).join(' and ');
    default:
      return 'a right this caller does not have';
  }
}
