import { userReadScopes } from '../../auth/scopes.js';
import { builder } from '../../schema/builder.js';
import type { StoredUser } from '../stored-user.js';
import { isDelegationTag, UserStatusEnum, UserTypeEnum } from './user-enums.js';
import { AuthenticationTokenInfoRef, AutoDelegationRef, IdentifierRef, PermissionRef, PropertyRef } from './user-parts.js';

export const UserRef = builder.objectRef<StoredUser>('User');

/**
 * A user as iCure stores it, without its secrets: `hasPassword` instead of the
 * hash, token metadata instead of token values, no 2FA secret.
 */
builder.node(UserRef, {
  description: 'A user that can log in to the iCure platform (a User document of a `-base` database).',
  authScopes: (user) => userReadScopes(user._id),
  id: { resolve: (user) => user._id, description: 'The CouchDB `_id`, as iCure stores it (a UUID in practice).' },
  // node(id)/nodes(ids) read through the request's batching loader: one request per batch.
  loadMany: (ids, context) => {
    const byId = context.loaders().byId;
    return ids.map((id) => byId.load(id));
  },
  fields: (t) => ({
    rev: t.exposeString('_rev', { nullable: false, description: 'CouchDB revision, required to modify or delete (optimistic locking).' }),
    created: t.field({
      type: 'Timestamp',
      nullable: true,
      description: 'Creation time, epoch milliseconds.',
      resolve: (user) => user.created ?? user.createdDate ?? null,
    }),
    deletionDate: t.expose('deleted', {
      type: 'Timestamp',
      nullable: true,
      description: 'Soft-deletion time, epoch milliseconds; null for a live user.',
    }),
    name: t.exposeString('name', { nullable: true, description: 'Last name of the user, for administrative purposes.' }),
    login: t.exposeString('login', { nullable: true, description: 'Username; defaults to the email, then the mobile phone.' }),
    email: t.exposeString('email', { nullable: true, description: 'Email address.' }),
    mobilePhone: t.exposeString('mobilePhone', { nullable: true, description: 'Mobile phone number.' }),
    status: t.field({
      type: UserStatusEnum,
      nullable: false,
      description: 'Account state; iCure treats a missing status as ACTIVE.',
      resolve: (user) => user.status ?? 'ACTIVE',
    }),
    type: t.field({
      type: UserTypeEnum,
      nullable: true,
      description: 'Legacy authentication source (deprecated in iCure).',
      resolve: (user) => {
        const source = typeof user.type === 'string' ? user.type.toLowerCase() : null;
        return source === 'database' || source === 'ldap' || source === 'token' ? source : null;
      },
    }),
    roles: t.stringList({ nullable: false, description: 'Local roles of the user.', resolve: (user) => user.roles ?? [] }),
    permissions: t.field({
      type: [PermissionRef],
      nullable: false,
      description: 'Permissions: grants and revokes of permission items.',
      resolve: (user) => user.permissions ?? [],
    }),
    properties: t.field({
      type: [PropertyRef],
      nullable: false,
      description: 'Typed properties (preferences and the like).',
      resolve: (user) => user.properties ?? [],
    }),
    groupId: t.exposeString('groupId', { nullable: true, description: 'Group (practice, hospital) of the user, where set.' }),
    healthcarePartyId: t.exposeString('healthcarePartyId', {
      nullable: true,
      description: 'Healthcare party the user acts as, if any.',
    }),
    patientId: t.exposeString('patientId', { nullable: true, description: 'Patient the user is, if any.' }),
    deviceId: t.exposeString('deviceId', { nullable: true, description: 'Device the user is, if any.' }),
    autoDelegations: t.field({
      type: [AutoDelegationRef],
      nullable: false,
      description: 'Delegations created automatically for new data of each kind.',
      resolve: (user) =>
        Object.entries(user.autoDelegations ?? {})
          .filter(([tag]) => isDelegationTag(tag))
          .map(([tag, delegateIds]) => ({ tag, delegateIds: delegateIds ?? [] })),
    }),
    termsOfUseDate: t.expose('termsOfUseDate', {
      type: 'Timestamp',
      nullable: true,
      description: 'When the terms of use were last accepted, epoch milliseconds.',
    }),
    identifiers: t.field({
      type: [IdentifierRef],
      nullable: false,
      description: 'External identifiers of the user.',
      resolve: (user) => user.identifier ?? [],
    }),
    hasPassword: t.boolean({
      nullable: false,
      description: 'Whether a password is set (its hash never leaves the server).',
      resolve: (user) => Boolean(user.passwordHash),
    }),
    use2fa: t.boolean({
      nullable: false,
      description: 'Whether two-factor authentication is enabled.',
      resolve: (user) => Boolean(user.use2fa ?? user.isUse2fa),
    }),
    authenticationTokens: t.field({
      type: [AuthenticationTokenInfoRef],
      nullable: true,
      description: 'Authentication tokens by key, without their values; for the user itself and admins only (null and FORBIDDEN otherwise).',
      authScopes: (user) => ({ admin: true, self: user._id }),
      resolve: (user) =>
        Object.entries(user.authenticationTokens ?? {}).map(([key, token]) => ({
          key,
          creationTime: token?.creationTime ?? null,
          validity: token?.validity ?? null,
        })),
    }),
  }),
});
