import { builder } from '../../schema/builder.js';
import { emailSchema, entityIdSchema, loginSchema, mobilePhoneSchema, passwordSchema, revisionSchema, shortTextSchema, validDateSchema } from '../user-validation.js';
import type { AutoDelegationPatch, PermissionItemPatch, PermissionPatch, PropertyPatch, TypedValuePatch, UserPatch } from '../user-patch.js';
import { DelegationTagEnum, PermissionTypeEnum, TypedValuesTypeEnum, UserStatusEnum } from './user-enums.js';

/**
 * The fields of an input, exactly those of the patch the domain applies, each of
 * the type the patch takes: an input field the patch lacks (or the reverse) does
 * not compile, so no input value can be dropped on its way to CouchDB.
 */
type FieldsOf<Patch> = { [Field in keyof Patch]-?: { $inferInput: Patch[Field] } };

export const PermissionItemInput = builder.inputType('PermissionItemInput', {
  description: 'A permission item to grant or revoke.',
  fields: (t) =>
    ({
      type: t.field({ type: PermissionTypeEnum, required: true, description: 'What is granted or revoked.' }),
    }) satisfies FieldsOf<PermissionItemPatch>,
});

export const PermissionInput = builder.inputType('PermissionInput', {
  description: 'A set of grants and revokes; revokes win over grants.',
  fields: (t) =>
    ({
      grants: t.field({ type: [PermissionItemInput], required: false, description: 'Items granted.' }),
      revokes: t.field({ type: [PermissionItemInput], required: false, description: 'Items revoked.' }),
    }) satisfies FieldsOf<PermissionPatch>,
});

export const PropertyTypeInput = builder.inputType('PropertyTypeInput', {
  description: 'What a typed property is.',
  fields: (t) =>
    ({
      identifier: t.string({
        required: true,
        description: 'Identifier of the property; properties are merged by it.',
        validate: { schema: shortTextSchema.min(1, { message: 'must not be empty' }) },
      }),
      type: t.field({ type: TypedValuesTypeEnum, required: false, description: 'Kind of value the property holds.' }),
    }) satisfies FieldsOf<PropertyPatch['type']>,
});

export const TypedValueInput = builder.inputType('TypedValueInput', {
  description: 'A value with its kind; set the value field matching `type`.',
  fields: (t) =>
    ({
      type: t.field({ type: TypedValuesTypeEnum, required: false, description: 'Kind of the value.' }),
      booleanValue: t.boolean({ required: false, description: 'For BOOLEAN.' }),
      integerValue: t.field({ type: 'SafeInt', required: false, description: 'For INTEGER.' }),
      doubleValue: t.float({ required: false, description: 'For DOUBLE.' }),
      stringValue: t.string({ required: false, description: 'For STRING, CLOB and JSON.' }),
      dateValue: t.field({ type: 'Timestamp', required: false, description: 'For DATE, epoch milliseconds.', validate: { schema: validDateSchema } }),
    }) satisfies FieldsOf<TypedValuePatch>,
});

export const PropertyInput = builder.inputType('PropertyInput', {
  description: 'A typed property of a user.',
  fields: (t) =>
    ({
      id: t.string({ required: false, description: 'Optional id of the property.', validate: { schema: shortTextSchema } }),
      type: t.field({ type: PropertyTypeInput, required: true, description: 'What the property is.' }),
      typedValue: t.field({ type: TypedValueInput, required: false, description: 'Its value.' }),
    }) satisfies FieldsOf<PropertyPatch>,
});

export const AutoDelegationInput = builder.inputType('AutoDelegationInput', {
  description: 'Data owners to whom new data of one kind is delegated automatically.',
  fields: (t) =>
    ({
      tag: t.field({ type: DelegationTagEnum, required: true, description: 'Kind of data delegated.' }),
      delegateIds: t.idList({ required: true, description: 'Ids of the delegates.', validate: { items: { schema: entityIdSchema } } }),
    }) satisfies FieldsOf<AutoDelegationPatch>,
});

export const CodeStubInput = builder.inputType('CodeStubInput', {
  description: 'A reference to a code of a codification system.',
  fields: (t) => ({
    id: t.string({ required: false, description: 'Id of the code, `type|code|version`.' }),
    context: t.string({ required: false, description: 'Context in which the code is used.' }),
    type: t.string({ required: false, description: 'Codification system.' }),
    code: t.string({ required: false, description: 'The code within its system.' }),
    version: t.string({ required: false, description: 'Version of the codification system.' }),
  }),
});

export const IdentifierInput = builder.inputType('IdentifierInput', {
  description: 'An external identifier of the user.',
  fields: (t) => ({
    id: t.string({ required: false, description: 'Id of the identifier.' }),
    assigner: t.string({ required: false, description: 'Organisation that issued it.' }),
    start: t.string({ required: false, description: 'Start of validity.' }),
    end: t.string({ required: false, description: 'End of validity.' }),
    system: t.string({ required: false, description: 'Namespace of the value.' }),
    type: t.field({ type: CodeStubInput, required: false, description: 'Kind of identifier.' }),
    use: t.string({ required: false, description: 'Purpose: usual, official, temp, secondary, old.' }),
    value: t.string({ required: false, description: 'The identifier itself.' }),
  }),
});

/** The writable User fields, shared by CreateUserInput and ModifyUserInput: exactly UserPatch's. */
const userFields = (t: PothosSchemaTypes.InputFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, 'InputObject'>) =>
  ({
    login: t.string({ required: false, description: 'Username; defaults to the email, then the mobile phone.', validate: { schema: loginSchema } }),
    email: t.string({ required: false, description: 'Email address (.+@.+); blank clears it.', validate: { schema: emailSchema } }),
    mobilePhone: t.string({
      required: false,
      description: 'Mobile phone, 6 to 20 digits with an optional leading +; blank clears it.',
      validate: { schema: mobilePhoneSchema },
    }),
    name: t.string({ required: false, description: 'Last name of the user.', validate: { schema: shortTextSchema } }),
    status: t.field({ type: UserStatusEnum, required: false, description: 'Account state; ACTIVE when absent or null.' }),
    roles: t.stringList({ required: false, description: 'Local roles.', validate: { items: { schema: shortTextSchema } } }),
    permissions: t.field({ type: [PermissionInput], required: false, description: 'Permissions (grants and revokes).' }),
    properties: t.field({ type: [PropertyInput], required: false, description: 'Typed properties (all of them: this replaces the list).' }),
    healthcarePartyId: t.id({ required: false, description: 'Healthcare party the user acts as.', validate: { schema: entityIdSchema } }),
    patientId: t.id({ required: false, description: 'Patient the user is.', validate: { schema: entityIdSchema } }),
    deviceId: t.id({ required: false, description: 'Device the user is.', validate: { schema: entityIdSchema } }),
    autoDelegations: t.field({ type: [AutoDelegationInput], required: false, description: 'Automatic delegations, one entry per tag.' }),
    termsOfUseDate: t.field({
      type: 'Timestamp',
      required: false,
      description: 'When the terms of use were accepted, epoch milliseconds.',
      validate: { schema: validDateSchema },
    }),
    identifiers: t.field({ type: [IdentifierInput], required: false, description: 'External identifiers.' }),
    password: t.string({
      required: false,
      description: 'A new password in plain text (at least 8 characters); stored only as a hash. Null removes the password.',
      validate: { schema: passwordSchema },
    }),
  }) satisfies FieldsOf<UserPatch>;

export const CreateUserInput = builder.inputType('CreateUserInput', {
  description: 'A new user: at least one of login, email and mobilePhone.',
  fields: (t) => ({
    id: t.id({ required: false, description: 'The CouchDB `_id`; a v4 UUID is generated when absent.', validate: { schema: entityIdSchema } }),
    ...userFields(t),
  }),
});

export const ModifyUserInput = builder.inputType('ModifyUserInput', {
  description: 'A patch of a user at a known revision: an absent field keeps its value, null clears it.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'Id of the user to modify.', validate: { schema: entityIdSchema } }),
    rev: t.string({ required: true, description: 'The revision read last; a stale one is CONFLICT.', validate: { schema: revisionSchema } }),
    ...userFields(t),
  }),
});
