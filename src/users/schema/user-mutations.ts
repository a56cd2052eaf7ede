import { builder } from '../../schema/builder.js';
import { requireCaller } from '../../auth/caller.js';
import { inDatabase, refuseHealthcarePartyChange, refusePrivilegedFields } from '../../auth/scopes.js';
import { entityIdSchema, lookupValueSchema, revisionSchema, shortTextSchema, tokenValiditySchema } from '../user-validation.js';
import { CreateUserInput, ModifyUserInput, PropertyInput } from './user-inputs.js';
import { groupIdArgument } from './user-queries.js';
import { UserRef } from './user-type.js';

const DocIdentifierRef = builder.objectRef<{ id: string; rev: string }>('DocIdentifier').implement({
  description: 'A document and its new revision.',
  fields: (t) => ({
    id: t.exposeID('id', { nullable: false, description: 'The CouchDB `_id`.' }),
    rev: t.exposeString('rev', { nullable: false, description: 'The revision written.' }),
  }),
});

const CreatedAuthenticationTokenRef = builder.objectRef<{ token: string; key: string; creationTime: number; validity: number }>('CreatedAuthenticationToken').implement({
  description: 'A new authentication token. Its value is shown here once and never again: only its hash is stored.',
  fields: (t) => ({
    token: t.exposeString('token', { nullable: false, description: 'The token, to use as a password (keep it secret).' }),
    key: t.exposeString('key', { nullable: false, description: 'The key it is stored under.' }),
    creationTime: t.expose('creationTime', { type: 'Timestamp', nullable: false, description: 'Creation time, epoch milliseconds.' }),
    validity: t.expose('validity', { type: 'SafeInt', nullable: false, description: 'Validity in seconds; -1 never expires.' }),
  }),
});

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserRef,
    nullable: false,
    description:
      'Creates a user. A plain `password` is stored as a bcrypt hash; login defaults to the email, then the mobile phone; a login or email used by a live user is ALREADY_EXISTS, also under concurrent requests.',
    args: {
      input: t.arg({ type: CreateUserInput, required: true, description: 'The new user.' }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(() => ({ admin: true })),
    resolve: (_root, { input, groupId }, context) => context.writes(groupId).create(input),
  }),
  modifyUser: t.field({
    type: UserRef,
    nullable: false,
    description: 'Patches a user at revision `input.rev` and returns it with its new revision; a stale rev is CONFLICT.',
    args: {
      input: t.arg({ type: ModifyUserInput, required: true, description: 'The patch, with id and rev.' }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(({ input }) => ({ admin: true, self: input.id })),
    resolve: (_root, { input, groupId }, context) => {
      refusePrivilegedFields(requireCaller(context), input);
      return context.writes(groupId).modify(input);
    },
  }),
  modifyUserProperties: t.field({
    type: UserRef,
    nullable: false,
    description: 'Merges properties by `type.identifier`: a match gets the new typed value (and its missing type filled), others are appended; nothing is removed.',
    args: {
      userId: t.arg.id({ required: true, description: 'Id of the user.', validate: { schema: entityIdSchema } }),
      properties: t.arg({ type: [PropertyInput], required: true, description: 'The properties to merge.' }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(({ userId }) => ({ admin: true, self: userId })),
    resolve: (_root, { userId, properties, groupId }, context) => context.writes(groupId).modifyProperties(userId, properties),
  }),
  createAuthenticationToken: t.field({
    type: CreatedAuthenticationTokenRef,
    nullable: false,
    description: 'Creates a random token under `key`, replacing the previous one; the clear token is returned here only.',
    args: {
      userId: t.arg.id({ required: true, description: 'Id, login or email of the user.', validate: { schema: lookupValueSchema } }),
      key: t.arg.string({
        required: true,
        description: 'The key to store the token under (one token per key).',
        validate: { schema: shortTextSchema.min(1, { message: 'must not be empty' }) },
      }),
      validitySeconds: t.arg.int({
        required: false,
        defaultValue: 3600,
        description: 'Validity in seconds from now; -1 never expires.',
        validate: { schema: tokenValiditySchema },
      }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(({ userId }) => ({ admin: true, selfIdentifier: userId })),
    resolve: (_root, { userId, key, validitySeconds, groupId }, context) => context.writes(groupId).createAuthenticationToken(userId, key, validitySeconds ?? 3600),
  }),
  deleteUser: t.field({
    type: DocIdentifierRef,
    nullable: false,
    description: 'Soft-deletes a user (sets `deletionDate`) and frees its login and email.',
    args: {
      userId: t.arg.id({ required: true, description: 'Id of the user.', validate: { schema: entityIdSchema } }),
      rev: t.arg.string({ required: false, description: 'When given, the revision read last; a stale one is CONFLICT.', validate: { schema: revisionSchema } }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(() => ({ admin: true })),
    resolve: (_root, { userId, rev, groupId }, context) => context.writes(groupId).delete(userId, rev),
  }),
  undeleteUser: t.field({
    type: UserRef,
    nullable: false,
    description: 'Clears the soft delete of a user, if its login and email are still free (else ALREADY_EXISTS).',
    args: {
      userId: t.arg.id({ required: true, description: 'Id of the user.', validate: { schema: entityIdSchema } }),
      rev: t.arg.string({ required: true, description: 'The revision read last; a stale one is CONFLICT.', validate: { schema: revisionSchema } }),
      ...groupIdArgument(),
    },
    authScopes: inDatabase(() => ({ admin: true })),
    resolve: (_root, { userId, rev, groupId }, context) => context.writes(groupId).undelete(userId, rev),
  }),
  assignHealthcarePartyToCurrentUser: t.field({
    type: UserRef,
    nullable: false,
    description: "Sets the authenticated user's healthcare party, while it has none, and returns the saved user.",
    args: {
      healthcarePartyId: t.arg.id({ required: true, description: 'Id of the healthcare party.', validate: { schema: entityIdSchema } }),
    },
    authScopes: { authenticated: true },
    resolve: (_root, { healthcarePartyId }, context) => {
      const caller = requireCaller(context);
      refuseHealthcarePartyChange(caller);
      return context.writes().assignHealthcareParty(caller.user._id, healthcarePartyId);
    },
  }),
}));
