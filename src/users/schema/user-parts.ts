import { builder } from '../../schema/builder.js';
import { isTokenLive } from '../authentication-tokens.js';
import type { StoredCodeStub, StoredIdentifier, StoredPermission, StoredPermissionItem, StoredProperty, StoredTypedValue } from '../stored-user.js';
import { DelegationTagEnum, isPermissionType, isTypedValuesType, PermissionTypeEnum, TypedValuesTypeEnum } from './user-enums.js';

// The value objects a User is made of, read from the stored document as iCure wrote it.

export const PermissionItemRef = builder.objectRef<StoredPermissionItem>('PermissionItem').implement({
  description: 'One granted or revoked permission (iCure has only "always" items).',
  fields: (t) => ({
    type: t.field({
      type: PermissionTypeEnum,
      nullable: false,
      description: 'What is granted or revoked.',
      resolve: (item) => item.type as never,
    }),
  }),
});

/** Items of types this schema does not know are left out rather than failing the user. */
const knownItems = (items: StoredPermissionItem[] | undefined) => (items ?? []).filter((item) => isPermissionType(item.type));

export const PermissionRef = builder.objectRef<StoredPermission>('Permission').implement({
  description: 'A set of grants and revokes; revokes win over grants.',
  fields: (t) => ({
    grants: t.field({
      type: [PermissionItemRef],
      nullable: false,
      description: 'Granted permission items.',
      resolve: (permission) => knownItems(permission.grants),
    }),
    revokes: t.field({
      type: [PermissionItemRef],
      nullable: false,
      description: 'Revoked permission items.',
      resolve: (permission) => knownItems(permission.revokes),
    }),
  }),
});

type PropertyType = NonNullable<StoredProperty['type']>;

export const PropertyTypeRef = builder.objectRef<PropertyType>('PropertyType').implement({
  description: 'What a typed property is: its identifier and the kind of its value.',
  fields: (t) => ({
    identifier: t.exposeString('identifier', { nullable: true, description: 'Identifier of the property, e.g. `org.taktik.icure.preferred.language`.' }),
    type: t.field({
      type: TypedValuesTypeEnum,
      nullable: true,
      description: 'Kind of value the property holds.',
      resolve: (type) => (isTypedValuesType(type.type) ? type.type : null),
    }),
  }),
});

export const TypedValueRef = builder.objectRef<StoredTypedValue>('TypedValue').implement({
  description: 'A value with its kind; the value field matching `type` is set (STRING, CLOB and JSON use `stringValue`).',
  fields: (t) => ({
    type: t.field({
      type: TypedValuesTypeEnum,
      nullable: true,
      description: 'Kind of the value.',
      resolve: (value) => (isTypedValuesType(value.type) ? value.type : null),
    }),
    booleanValue: t.exposeBoolean('booleanValue', { nullable: true, description: 'Set for BOOLEAN.' }),
    integerValue: t.expose('integerValue', { type: 'SafeInt', nullable: true, description: 'Set for INTEGER.' }),
    doubleValue: t.exposeFloat('doubleValue', { nullable: true, description: 'Set for DOUBLE.' }),
    stringValue: t.exposeString('stringValue', { nullable: true, description: 'Set for STRING, CLOB and JSON.' }),
    dateValue: t.expose('dateValue', { type: 'Timestamp', nullable: true, description: 'Set for DATE, in epoch milliseconds.' }),
  }),
});

export const PropertyRef = builder.objectRef<StoredProperty>('Property').implement({
  description: 'A typed property of a user, e.g. a preference.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'Optional id of the property.' }),
    type: t.expose('type', { type: PropertyTypeRef, nullable: true, description: 'What the property is.' }),
    typedValue: t.expose('typedValue', { type: TypedValueRef, nullable: true, description: 'Its value.' }),
  }),
});

export interface AutoDelegation {
  tag: string;
  delegateIds: string[];
}

export const AutoDelegationRef = builder.objectRef<AutoDelegation>('AutoDelegation').implement({
  description: 'Data owners to whom new data of one kind is delegated automatically.',
  fields: (t) => ({
    tag: t.field({
      type: DelegationTagEnum,
      nullable: false,
      description: 'Kind of data delegated.',
      resolve: (delegation) => delegation.tag as never,
    }),
    delegateIds: t.exposeStringList('delegateIds', { nullable: false, description: 'Ids of the delegates (healthcare parties).' }),
  }),
});

export const CodeStubRef = builder.objectRef<StoredCodeStub>('CodeStub').implement({
  description: 'A reference to a code of a codification system.',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'Id of the code, `type|code|version`.' }),
    context: t.exposeString('context', { nullable: true, description: 'Context in which the code is used.' }),
    type: t.exposeString('type', { nullable: true, description: 'Codification system, e.g. `CD-ITEM`.' }),
    code: t.exposeString('code', { nullable: true, description: 'The code within its system.' }),
    version: t.exposeString('version', { nullable: true, description: 'Version of the codification system.' }),
  }),
});

export const IdentifierRef = builder.objectRef<StoredIdentifier>('Identifier').implement({
  description: 'An external identifier of the user (FHIR-like).',
  fields: (t) => ({
    id: t.exposeString('id', { nullable: true, description: 'Id of the identifier.' }),
    assigner: t.exposeString('assigner', { nullable: true, description: 'Organisation that issued the identifier.' }),
    start: t.exposeString('start', { nullable: true, description: 'Start of validity.' }),
    end: t.exposeString('end', { nullable: true, description: 'End of validity.' }),
    system: t.exposeString('system', { nullable: true, description: 'Namespace of the value.' }),
    type: t.expose('type', { type: CodeStubRef, nullable: true, description: 'Kind of identifier.' }),
    use: t.exposeString('use', { nullable: true, description: 'Purpose: usual, official, temp, secondary, old.' }),
    value: t.exposeString('value', { nullable: true, description: 'The identifier itself.' }),
  }),
});

export interface AuthenticationTokenInfo {
  key: string;
  creationTime: number | null;
  validity: number | null;
}

export const AuthenticationTokenInfoRef = builder.objectRef<AuthenticationTokenInfo>('AuthenticationTokenInfo').implement({
  description: 'What is known of an authentication token without its value, which never leaves the server.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: false, description: 'The key the token is stored under (one token per key).' }),
    creationTime: t.expose('creationTime', { type: 'Timestamp', nullable: true, description: 'When it was created, epoch milliseconds.' }),
    validity: t.expose('validity', {
      type: 'SafeInt',
      nullable: true,
      description: 'Validity in seconds from creation; -1 never expires.',
    }),
    expired: t.boolean({
      nullable: false,
      description: 'True unless `creationTime < now < creationTime + validity`.',
      resolve: (token) => !isTokenLive(token),
    }),
  }),
});
