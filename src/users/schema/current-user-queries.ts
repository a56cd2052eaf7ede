import { builder } from '../../schema/builder.js';
import { requireCaller } from '../../auth/caller.js';
import type { GatewayContext } from '../../schema/context.js';
import { encodePassword, verifySecret } from '../passwords.js';
import type { StoredUser } from '../stored-user.js';
import { lookupValueSchema, passwordSchema } from '../user-validation.js';
import { UserRef } from './user-type.js';

interface UserGroupMatch {
  groupId: string | null;
  user: StoredUser;
}

const UserGroupMatchRef = builder.objectRef<UserGroupMatch>('UserGroupMatch').implement({
  description: "A database in which the authenticated user's login exists, with the user there.",
  fields: (t) => ({
    groupId: t.id({
      nullable: true,
      description: 'The group, or null for the default database.',
      resolve: (match) => match.groupId,
    }),
    userId: t.id({ nullable: false, description: 'Id of the user in that database.', resolve: (match) => match.user._id }),
    login: t.string({ nullable: true, description: 'Its login.', resolve: (match) => match.user.login ?? null }),
    name: t.string({ nullable: true, description: 'Its name.', resolve: (match) => match.user.name ?? null }),
    email: t.string({ nullable: true, description: 'Its email.', resolve: (match) => match.user.email ?? null }),
    mobilePhone: t.string({ nullable: true, description: 'Its mobile phone.', resolve: (match) => match.user.mobilePhone ?? null }),
    healthcarePartyId: t.id({
      nullable: true,
      description: 'Its healthcare party.',
      resolve: (match) => match.user.healthcarePartyId ?? null,
    }),
    patientId: t.id({ nullable: true, description: 'Its patient.', resolve: (match) => match.user.patientId ?? null }),
    deviceId: t.id({ nullable: true, description: 'Its device.', resolve: (match) => match.user.deviceId ?? null }),
  }),
});

/** The authenticated user's document, as read to authenticate this request. */
function currentUser(context: GatewayContext): StoredUser {
  return requireCaller(context).user;
}

/** Group databases are searched this many at a time. */
const MATCH_CONCURRENCY = 8;

builder.queryFields((t) => ({
  currentUser: t.field({
    type: UserRef,
    nullable: false,
    description: 'The authenticated user.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, context) => currentUser(context),
  }),
  currentUserMatches: t.field({
    type: [UserGroupMatchRef],
    nullable: false,
    description: "The databases (default and groups) in which the authenticated user's login exists, with the user id there.",
    authScopes: { authenticated: true },
    resolve: async (_root, _args, context) => {
      const user = currentUser(context);
      if (!user.login) return [];
      const login = user.login;
      const groupIds: (string | null)[] = [null, ...(await context.users.groupIds())];
      const matches: UserGroupMatch[] = [];
      for (let start = 0; start < groupIds.length; start += MATCH_CONCURRENCY) {
        const found = await Promise.all(
          groupIds.slice(start, start + MATCH_CONCURRENCY).map(async (groupId) => ({ groupId, user: await context.users.of(groupId).byLogin(login) })),
        );
        for (const match of found) if (match.user) matches.push({ groupId: match.groupId, user: match.user });
      }
      return matches;
    },
  }),
  checkPassword: t.boolean({
    nullable: false,
    description: "Whether this is the authenticated user's password.",
    args: { password: t.arg.string({ required: true, description: 'The password to check.', validate: { schema: lookupValueSchema } }) },
    authScopes: { authenticated: true },
    resolve: (_root, { password }, context) => verifySecret(password, currentUser(context).passwordHash),
  }),
  encodePassword: t.string({
    nullable: false,
    description: 'The stored form the gateway would write for this password (`{bcrypt}` + a bcrypt hash); reads nothing stored.',
    args: { password: t.arg.string({ required: true, description: 'The password to encode.', validate: { schema: passwordSchema } }) },
    authScopes: { authenticated: true },
    resolve: (_root, { password }, context) => encodePassword(password, context.bcryptRounds),
  }),
  authenticationTokenValid: t.boolean({
    nullable: false,
    description: 'Whether this token is live for the user with this id, login or email.',
    args: {
      userId: t.arg.id({ required: true, description: 'Id, login or email of the user.', validate: { schema: lookupValueSchema } }),
      token: t.arg.string({ required: true, description: 'The token to check.', validate: { schema: lookupValueSchema } }),
    },
    authScopes: (_root, { userId }) => ({ admin: true, selfIdentifier: userId }),
    resolve: (_root, { userId, token }, context) => context.writes().isAuthenticationTokenValid(userId, token),
  }),
}));
