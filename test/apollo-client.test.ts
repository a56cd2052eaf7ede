import {
  ApolloClient,
  ApolloLink,
  CombinedGraphQLErrors,
  HttpLink,
  InMemoryCache,
  ServerError,
  gql,
  type ObservableQuery,
  type OperationVariables,
  type TypedDocumentNode,
} from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode, print } from 'graphql';
import { filter, firstValueFrom, map } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewaySseLink } from '../examples/sse-link.js';
import { ADMIN_HEADERS, basic, startTestGateway, type TestGateway } from './support/test-gateway.js';

// Apollo Client ≥ 4.2's "modern" signatures type `data` as defined under the default
// errorPolicy ('none': errors reject); the classic ones leave it `| undefined`.
declare module '@apollo/client' {
  // biome-ignore lint/suspicious/noExportsInTest: a module augmentation, not an export of this file
  export interface TypeOverrides {
    signatureStyle: 'modern';
  }
}

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

/**
 * `users` as Apollo Client should cache it. groupId and skipPatients select a different
 * list; first/after/last/before are what relayStylePagination merges; iCure's
 * startKey/startDocumentId are a cursor it does not understand, so such pages are
 * kept apart rather than written over the merged Relay list.
 */
const usersField = relayStylePagination(['groupId', 'skipPatients', 'startKey', 'startDocumentId']);

/** An Apollo Client over real HTTP, recording the operation name and response status of every request it sends. */
function apolloClient(headers: Record<string, string> = ADMIN_HEADERS) {
  const requests: string[] = [];
  const statuses: number[] = [];
  const cache = new InMemoryCache({ typePolicies: { Query: { fields: { users: usersField } } } });
  const client = new ApolloClient({
    link: new HttpLink({
      uri: `${t.gateway.url}/graphql`,
      headers,
      fetch: async (input, init) => {
        requests.push(JSON.parse(String(init?.body)).operationName);
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    }),
    cache,
  });
  return { client, cache, requests, statuses };
}

interface UserFields {
  __typename?: 'User';
  id: string;
  rev: string;
  login: string | null;
  name: string | null;
}

const CURRENT_USER: TypedDocumentNode<{ currentUser: UserFields }> = gql`
  query CurrentUser {
    currentUser { id rev login name }
  }
`;
const USER_BY_ID: TypedDocumentNode<{ user: UserFields | null }, { id: string }> = gql`
  query UserById($id: ID!) {
    user(id: $id) { id rev login name }
  }
`;
const CREATE_USER: TypedDocumentNode<{ createUser: UserFields }, { login: string; groupId?: string }> = gql`
  mutation CreateUser($login: String!, $groupId: ID) {
    createUser(input: { login: $login }, groupId: $groupId) { id rev login name }
  }
`;
const RENAME_USER: TypedDocumentNode<{ modifyUser: UserFields }, { id: string; rev: string; name: string }> = gql`
  mutation RenameUser($id: ID!, $rev: String!, $name: String) {
    modifyUser(input: { id: $id, rev: $rev, name: $name }) { id rev login name }
  }
`;

interface UsersPage {
  users: {
    totalCount: number;
    edges: { cursor: string; node: Pick<UserFields, 'id' | 'login'> }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
const USERS_PAGE: TypedDocumentNode<UsersPage, { groupId?: string; first?: number; after?: string; startKey?: string; startDocumentId?: string }> = gql`
  query UsersPage($groupId: ID, $first: Int, $after: String, $startKey: String, $startDocumentId: ID) {
    users(groupId: $groupId, first: $first, after: $after, startKey: $startKey, startDocumentId: $startDocumentId) {
      totalCount
      edges { cursor node { id login } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

let counter = 0;
const unique = (base: string) => `${base}-${++counter}-${Date.now().toString(36)}`;

/**
 * The first complete result of a watched query that passes `test`. Cache updates
 * (a mutation's result, a fetchMore page) reach watchers a tick after the
 * operation's promise settles, so call this before starting the operation.
 */
function nextData<Data, Variables extends OperationVariables>(query: ObservableQuery<Data, Variables>, test: (data: Data) => boolean): Promise<Data> {
  return firstValueFrom(
    query.pipe(
      filter((result) => result.dataState === 'complete' && test(result.data)),
      map((result) => result.data as Data),
    ),
  );
}

/** The error an operation rejects with (Apollo Client's default errorPolicy, 'none'). */
async function rejectionOf(operation: Promise<unknown>): Promise<unknown> {
  return operation.then(
    () => expect.fail('the operation succeeded'),
    (error: unknown) => error,
  );
}

/** What a frontend reads on a failed operation: the GraphQL errors of the response body, with their codes. */
async function graphQLErrorsOf(operation: Promise<unknown>) {
  const error = await rejectionOf(operation);
  if (!CombinedGraphQLErrors.is(error)) throw error;
  return error.errors;
}

describe('Apollo Client 4 with Basic credentials', () => {
  it('runs queries and mutations', async () => {
    const { client } = apolloClient();
    const { data: current } = await client.query({ query: CURRENT_USER });
    expect(current.currentUser.login).toBe('admin');

    const login = unique('apollo');
    const { data: created } = await client.mutate({ mutation: CREATE_USER, variables: { login } });
    expect(created.createUser).toMatchObject({ __typename: 'User', login, rev: expect.stringMatching(/^1-/) });
    const { data: read } = await client.query({ query: USER_BY_ID, variables: { id: created.createUser.id } });
    expect(read.user).toEqual(created.createUser);
  });
});

describe('InMemoryCache', () => {
  it('normalizes users as User:<id>', async () => {
    const { client, cache } = apolloClient();
    const { data } = await client.mutate({ mutation: CREATE_USER, variables: { login: unique('cached') } });
    const { id } = data.createUser;
    await client.query({ query: USER_BY_ID, variables: { id } });

    expect(cache.identify({ __typename: 'User', id })).toBe(`User:${id}`);
    const store = cache.extract();
    expect(store[`User:${id}`]).toEqual({ __typename: 'User', ...data.createUser });
    expect(store.ROOT_QUERY).toMatchObject({ [`user({"id":"${id}"})`]: { __ref: `User:${id}` } });
  });

  it('updates a fetched user(id) with the result of modifyUser, without fetching it again', async () => {
    const { client, requests } = apolloClient();
    const { data: created } = await client.mutate({ mutation: CREATE_USER, variables: { login: unique('renamed') } });
    const { id, rev } = created.createUser;

    const watched = client.watchQuery({ query: USER_BY_ID, variables: { id } });
    const subscription = watched.subscribe(() => {});
    try {
      await nextData(watched, (data) => data.user !== null);
      const renamed = nextData(watched, (data) => data.user?.name === 'Renamed');
      const { data: modified } = await client.mutate({ mutation: RENAME_USER, variables: { id, rev, name: 'Renamed' } });
      expect(modified.modifyUser.rev).toMatch(/^2-/);
      expect((await renamed).user).toEqual(modified.modifyUser);

      const { data: again } = await client.query({ query: USER_BY_ID, variables: { id } });
      expect(again.user).toEqual(modified.modifyUser);
      expect(requests).toEqual(['CreateUser', 'UserById', 'RenameUser']);
    } finally {
      subscription.unsubscribe();
    }
  });
});

describe('users with fetchMore and relayStylePagination', () => {
  const groupId = 'apollo-paging';
  // Created out of order: the list comes back in login order.
  const logins = ['grace', 'alan', 'edsger', 'barbara', 'donald', 'frances', 'ken'];
  beforeAll(async () => {
    for (const login of logins) {
      const response = await t.graphql(print(CREATE_USER), { login, groupId });
      expect(response.errors).toBeUndefined();
    }
  });

  it('merges pages of 3 into the whole list, in login order', async () => {
    const { client, requests } = apolloClient();
    const list = client.watchQuery({ query: USERS_PAGE, variables: { groupId, first: 3 } });
    const subscription = list.subscribe(() => {});
    try {
      let data = await nextData(list, () => true);
      while (data.users.pageInfo.hasNextPage) {
        const { length } = data.users.edges;
        const merged = nextData(list, ({ users }) => users.edges.length > length);
        await list.fetchMore({ variables: { after: data.users.pageInfo.endCursor! } });
        data = await merged;
      }
      expect(data.users.edges.map((edge) => edge.node.login)).toEqual([...logins].sort());
      expect(data.users.totalCount).toBe(logins.length);
      expect(requests).toEqual(['UsersPage', 'UsersPage', 'UsersPage']);

      // Another database, and a page read with iCure's startKey, are other lists.
      const { data: defaultDatabase } = await client.query({ query: USERS_PAGE, variables: { first: 3 } });
      expect(defaultDatabase.users.edges[0]?.node.login).toBe('admin');
      const { data: fromKey } = await client.query({ query: USERS_PAGE, variables: { groupId, first: 3, startKey: 'edsger' } });
      expect(fromKey.users.edges.map((edge) => edge.node.login)).toEqual(['edsger', 'frances', 'grace']);
      expect(client.readQuery({ query: USERS_PAGE, variables: { groupId, first: 3 } })?.users.edges).toHaveLength(logins.length);
    } finally {
      subscription.unsubscribe();
    }
  });
});

// Apollo Client 4 asks for application/graphql-response+json first, which the gateway
// answers with, so the GraphQL errors of a 4xx response reach it as CombinedGraphQLErrors.
describe('errors, as the client sees them', () => {
  it('a stale rev is CombinedGraphQLErrors with CONFLICT (HTTP 409)', async () => {
    const { client, statuses } = apolloClient();
    const { data } = await client.mutate({ mutation: CREATE_USER, variables: { login: unique('stale') } });
    const { id, rev } = data.createUser;
    await client.mutate({ mutation: RENAME_USER, variables: { id, rev, name: 'First' } });

    const errors = await graphQLErrorsOf(client.mutate({ mutation: RENAME_USER, variables: { id, rev, name: 'Second' } }));
    expect(errors).toEqual([expect.objectContaining({ path: ['modifyUser'], extensions: { code: 'CONFLICT', field: 'input.rev' } })]);
    expect(statuses).toEqual([200, 200, 409]);
  });

  it('a bad id is CombinedGraphQLErrors with BAD_USER_INPUT and the field (HTTP 400)', async () => {
    const { client, statuses } = apolloClient();
    const errors = await graphQLErrorsOf(client.mutate({ mutation: RENAME_USER, variables: { id: 'a/b', rev: '1-deadbeef', name: 'x' } }));
    expect(errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.id', issues: [{ field: 'input.id', message: expect.any(String) }] });
    expect(statuses).toEqual([400]);
  });

  it('wrong credentials are CombinedGraphQLErrors with UNAUTHENTICATED (HTTP 401)', async () => {
    const { client, statuses } = apolloClient(basic('admin', 'not-the-password'));
    const errors = await graphQLErrorsOf(client.query({ query: CURRENT_USER }));
    expect(errors).toEqual([{ message: 'Wrong credentials', extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(statuses).toEqual([401]);
  });

  it("with errorPolicy 'all', the error comes with the partial data", async () => {
    const { client } = apolloClient();
    const query: TypedDocumentNode<{ currentUser: UserFields; user: UserFields | null }> = gql`
      query CurrentAndBadId {
        currentUser { id rev login name }
        user(id: "a/b") { id rev login name }
      }
    `;
    const { data, error } = await client.query({ query, errorPolicy: 'all' });
    expect(data).toMatchObject({ currentUser: { login: 'admin' }, user: null });
    expect(CombinedGraphQLErrors.is(error) && error.errors[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('a client that accepts only application/json gets a ServerError with the status and the GraphQL body', async () => {
    const { client } = apolloClient({ ...basic('admin', 'not-the-password'), accept: 'application/json' });
    const error = await rejectionOf(client.query({ query: CURRENT_USER }));
    if (!ServerError.is(error)) throw error;
    expect(error.statusCode).toBe(401);
    expect(JSON.parse(error.bodyText).errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('subscriptions through the SSE link (examples/sse-link.ts)', () => {
  const USER_CHANGED: TypedDocumentNode<{ userChanged: { cursor: string; kind: string; user: UserFields | null } }, { id: string }> = gql`
    subscription UserChanged($id: ID!) {
      userChanged(id: $id) { cursor kind user { id rev login name } }
    }
  `;

  it("updates a watched query's cached user from an event, with no refetch", async () => {
    const requests: string[] = [];
    const record = (transport: string) => async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(`${transport} ${JSON.parse(String(init?.body)).operationName}`);
      return fetch(input, init);
    };
    let connected!: () => void;
    const streaming = new Promise<void>((resolve) => (connected = resolve));
    const client = new ApolloClient({
      link: ApolloLink.split(
        ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
        new GatewaySseLink({ url: `${t.gateway.url}/graphql`, headers: () => ADMIN_HEADERS, fetchFn: record('sse'), on: { connected: () => connected() } }),
        new HttpLink({ uri: `${t.gateway.url}/graphql`, headers: ADMIN_HEADERS, fetch: record('http') }),
      ),
      cache: new InMemoryCache(),
    });
    const created = await t.graphql(print(CREATE_USER), { login: unique('live') });
    const { id } = created.data.createUser;

    const watched = client.watchQuery({ query: USER_BY_ID, variables: { id } });
    const watching = watched.subscribe(() => {});
    const events: string[] = [];
    const subscription = client.subscribe({ query: USER_CHANGED, variables: { id } }).subscribe((result) => events.push(result.data!.userChanged.kind));
    try {
      await nextData(watched, (data) => data.user?.name === null);
      await streaming;
      const renamed = nextData(watched, (data) => data.user?.name === 'Renamed elsewhere');
      // Another client renames the user.
      const modified = await t.graphql(print(RENAME_USER), { id, rev: created.data.createUser.rev, name: 'Renamed elsewhere' });
      expect((await renamed).user).toEqual({ __typename: 'User', ...modified.data.modifyUser });
      expect(events).toEqual(['UPDATED']);
      expect(requests).toEqual(['http UserById', 'sse UserChanged']);
    } finally {
      subscription.unsubscribe();
      watching.unsubscribe();
    }
  });
});
