import { inDatabase } from '../../auth/scopes.js';
import { builder } from '../../schema/builder.js';
import { encodeCursor, type LoginPosition } from '../user-cursor.js';
import { DEFAULT_PAGE_SIZE, pageStart, readUserPage, type UserPage } from '../user-pages.js';
import type { DatabaseUserLoaders } from '../user-loaders.js';
import { entityIdSchema, pagingArgumentsSchema, startKeySchema } from '../user-validation.js';
import { groupIdArgument } from './user-queries.js';
import { UserRef } from './user-type.js';

const NextKeyPairRef = builder.objectRef<LoginPosition>('NextKeyPair').implement({
  description: "iCure's pagination key: pass it back as `startKey`/`startDocumentId` to read the next page.",
  fields: (t) => ({
    startKey: t.string({ nullable: true, description: 'Login of the first user of the next page.', resolve: ([login]) => login }),
    startKeyDocId: t.id({ nullable: false, description: 'Id of the first user of the next page.', resolve: ([, id]) => id }),
  }),
});

interface UserConnectionSource {
  page: UserPage;
  loaders: DatabaseUserLoaders;
}

builder.queryField('users', (t) =>
  t.connection(
    {
      type: UserRef,
      nullable: false,
      description:
        "Non-deleted users in login order (then id), in keyset pages: `first`/`after` or iCure's `startKey`/`startDocumentId` forwards, `last`/`before` backwards. `first`/`last` default to 100, at most 1000.",
      args: {
        startKey: t.arg.string({
          required: false,
          description: 'iCure paging: the login to start at (inclusive); from `nextKeyPair.startKey`.',
          validate: { schema: startKeySchema },
        }),
        startDocumentId: t.arg.id({
          required: false,
          description: 'iCure paging: with `startKey`, the id of the first user of the page; from `nextKeyPair.startKeyDocId`.',
          validate: { schema: entityIdSchema },
        }),
        skipPatients: t.arg.boolean({
          required: false,
          defaultValue: true,
          description: 'Leave out patient-only users (a patientId and no healthcarePartyId), as iCure does by default.',
        }),
        ...groupIdArgument(),
      },
      authScopes: inDatabase(() => ({ readOthers: true })),
      // A page costs what its page size says.
      complexity: (args) => ({ field: 1, multiplier: args.first ?? args.last ?? DEFAULT_PAGE_SIZE }),
      validate: { schema: pagingArgumentsSchema },
      resolve: async (_root, args, context) => {
        const { start, size } = pageStart(args);
        const loaders = context.loaders(args.groupId);
        const page = await readUserPage(loaders, { start, size, skipPatients: args.skipPatients ?? true });
        // Cursors are encoded only when asked for: most pages select nodes alone.
        const edges = page.users.map(({ position, user }) => ({
          get cursor() {
            return encodeCursor(position);
          },
          node: user,
        }));
        return {
          edges,
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: page.hasPreviousPage,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
          page,
          loaders,
        } satisfies UserConnectionSource & Record<string, unknown>;
      },
    },
    {
      name: 'UserConnection',
      description: 'A page of users in login order.',
      fields: (c) => ({
        totalCount: c.int({
          nullable: false,
          description: 'Number of users in the whole list (honouring `skipPatients`), not just this page.',
          resolve: (connection) => {
            const { page, loaders } = connection as unknown as UserConnectionSource;
            return loaders.count(page.view);
          },
        }),
        nextKeyPair: c.field({
          type: NextKeyPairRef,
          nullable: true,
          description: "iCure's key of the user that follows this page in login order; null when the page reaches the end.",
          resolve: (connection) => (connection as unknown as UserConnectionSource).page.next,
        }),
      }),
    },
    { name: 'UserEdge', description: 'A user and its cursor.' },
  ),
);
