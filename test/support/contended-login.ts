import { expect } from 'vitest';
import type { CouchAdmin } from './test-couch.js';
import { TEST_ADMIN } from './test-config.js';
import { ADMIN_HEADERS, postGraphQL } from './test-gateway.js';

const CREATE = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id rev login } }';

/**
 * 50 concurrent createUser with one login, spread over the gateways: exactly one
 * user, 49 ALREADY_EXISTS on `input.login`, and no orphan reservation.
 */
export async function expectOneUserForOneLogin(gatewayUrls: string[], admin: CouchAdmin, db: string, login: string): Promise<void> {
  const started = performance.now();
  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, index) =>
      postGraphQL(
        gatewayUrls[index % gatewayUrls.length]!,
        CREATE,
        { input: { login, email: `writer${index}@example.org`, password: 'a long password' } },
        ADMIN_HEADERS,
      ),
    ),
  );
  console.info(`50 concurrent createUser over ${gatewayUrls.length} processes: ${(performance.now() - started).toFixed(0)} ms`);

  const created = responses.filter((response) => !response.errors);
  expect(created).toHaveLength(1);
  const refused = responses.filter((response) => response.errors?.[0]?.extensions?.code === 'ALREADY_EXISTS');
  expect(refused).toHaveLength(49);
  for (const response of refused) expect(response.errors?.[0]?.extensions?.field).toBe('input.login');

  const winner = created[0]!.data.createUser;
  const docs = await admin.allDocs(db);
  const users = docs.filter((doc: any) => doc.java_type === 'org.taktik.icure.entities.User' && doc.login === login);
  expect(users.map((user: any) => user._id)).toEqual([winner.id]);
  // Besides the first admin's own login.
  const reservations = docs.filter((doc: any) => doc.java_type === 'icure-user-gateway.IdentifierReservation' && doc.value !== TEST_ADMIN.login);
  expect(reservations).toHaveLength(2);
  expect(reservations.every((reservation: any) => reservation.userId === winner.id)).toBe(true);
  expect(reservations.map((reservation: any) => reservation.kind).sort()).toEqual(['email', 'login']);
}
