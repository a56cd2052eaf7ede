import { inDatabase, userReadScopes } from '../../auth/scopes.js';
import { builder } from '../../schema/builder.js';
import { lookupLogin } from '../user-identifiers.js';
import { groupIdSchema, lookupValueSchema, entityIdSchema } from '../user-validation.js';
import { UserRef } from './user-type.js';

/** The optional `groupId` argument shared by every user field. */
export const groupIdArgument = () =>
  builder.args((t) => ({
    groupId: t.id({
      required: false,
      description: "A group's id: read `<prefix>-<groupId>-base` instead of the default database.",
      validate: { schema: groupIdSchema },
    }),
  }));

/** Who may read a user by id; who may read the users of a database (subscriptions share these). */
export const readUserById = inDatabase<{ id: string; groupId?: string | null }>(({ id }) => userReadScopes(id));
export const readOtherUsers = inDatabase<{ groupId?: string | null }>(() => ({ readOthers: true }));

builder.queryFields((t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: 'The user with this id; soft-deleted users are returned too, with `deletionDate`. Null when absent.',
    args: {
      id: t.arg.id({ required: true, description: 'CouchDB `_id` of the user.', validate: { schema: entityIdSchema } }),
      ...groupIdArgument(),
    },
    authScopes: readUserById,
    resolve: (_root, { id, groupId }, context) => context.loaders(groupId).byId.load(id),
  }),
  userByEmail: t.field({
    type: UserRef,
    nullable: true,
    description: 'The non-deleted user with exactly this email (case-sensitive, as iCure matches it); null when none.',
    args: {
      email: t.arg.string({ required: true, description: 'Email address to match exactly.', validate: { schema: lookupValueSchema } }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(({ email }) => ({ readOthers: true, selfIdentifier: email })),
    resolve: (_root, { email, groupId }, context) => context.loaders(groupId).byEmail(email),
  }),
  userByLogin: t.field({
    type: UserRef,
    nullable: true,
    description: 'The non-deleted user with exactly this login (the argument is trimmed, as iCure does); null when none.',
    args: {
      login: t.arg.string({ required: true, description: 'Login to match; surrounding spaces are ignored.', validate: { schema: lookupValueSchema } }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(({ login }) => ({ readOthers: true, selfIdentifier: login })),
    resolve: (_root, { login, groupId }, context) => context.loaders(groupId).byLogin(lookupLogin(login)),
  }),
  usersByHealthcareParty: t.field({
    type: [UserRef],
    nullable: false,
    description: 'The non-deleted users linked to this healthcare party.',
    args: {
      healthcarePartyId: t.arg.id({
        required: true,
        description: 'Id of the healthcare party.',
        validate: { schema: lookupValueSchema },
      }),
      ...groupIdArgument(),
    },
    authScopes: readOtherUsers,
    resolve: (_root, { healthcarePartyId, groupId }, context) => context.loaders(groupId).linked('healthcarePartyId').load(healthcarePartyId),
  }),
}));
