/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Data owners to whom new data of one kind is delegated automatically. */
export type AutoDelegationInput = {
  /** Ids of the delegates. */
  delegateIds: Array<string | number>;
  /** Kind of data delegated. */
  tag: DelegationTag;
};

/** A reference to a code of a codification system. */
export type CodeStubInput = {
  /** The code within its system. */
  code?: string | null | undefined;
  /** Context in which the code is used. */
  context?: string | null | undefined;
  /** Id of the code, `type|code|version`. */
  id?: string | null | undefined;
  /** Codification system. */
  type?: string | null | undefined;
  /** Version of the codification system. */
  version?: string | null | undefined;
};

/** A new user: at least one of login, email and mobilePhone. */
export type CreateUserInput = {
  /** Automatic delegations, one entry per tag. */
  autoDelegations?: Array<AutoDelegationInput> | null | undefined;
  /** Device the user is. */
  deviceId?: string | number | null | undefined;
  /** Email address (.+@.+); blank clears it. */
  email?: string | null | undefined;
  /** Healthcare party the user acts as. */
  healthcarePartyId?: string | number | null | undefined;
  /** The CouchDB `_id`; a v4 UUID is generated when absent. */
  id?: string | number | null | undefined;
  /** External identifiers. */
  identifiers?: Array<IdentifierInput> | null | undefined;
  /** Username; defaults to the email, then the mobile phone. */
  login?: string | null | undefined;
  /** Mobile phone, 6 to 20 digits with an optional leading +; blank clears it. */
  mobilePhone?: string | null | undefined;
  /** Last name of the user. */
  name?: string | null | undefined;
  /** A new password in plain text (at least 8 characters); stored only as a hash. Null removes the password. */
  password?: string | null | undefined;
  /** Patient the user is. */
  patientId?: string | number | null | undefined;
  /** Permissions (grants and revokes). */
  permissions?: Array<PermissionInput> | null | undefined;
  /** Typed properties (all of them: this replaces the list). */
  properties?: Array<PropertyInput> | null | undefined;
  /** Local roles. */
  roles?: Array<string> | null | undefined;
  /** Account state; ACTIVE when absent or null. */
  status?: UserStatus | null | undefined;
  /** When the terms of use were accepted, epoch milliseconds. */
  termsOfUseDate?: number | null | undefined;
};

/** The kind of data an automatic delegation covers. */
export type DelegationTag =
  /** Administrative data. */
  | 'administrativeData'
  /** Every kind of data. */
  | 'all'
  /** Anonymous medical information. */
  | 'anonymousMedicalInformation'
  /** Allergies. */
  | 'cdItemAllergy'
  /** Diagnoses. */
  | 'cdItemDiagnosis'
  /** Family risks. */
  | 'cdItemFamilyRisk'
  /** Healthcare approaches. */
  | 'cdItemHealthcareapproach'
  /** Healthcare elements. */
  | 'cdItemHealthcareelement'
  /** Lab results. */
  | 'cdItemLab'
  /** Medications. */
  | 'cdItemMedication'
  /** Parameters. */
  | 'cdItemParameter'
  /** Results. */
  | 'cdItemResult'
  /** Risks. */
  | 'cdItemRisk'
  /** Treatments. */
  | 'cdItemTreatment'
  /** Vaccines. */
  | 'cdItemVaccine'
  /** Confidential information. */
  | 'confidentialInformation'
  /** Financial information. */
  | 'financialInformation'
  /** General information. */
  | 'generalInformation'
  /** Medical information. */
  | 'medicalInformation'
  /** Sensitive information. */
  | 'sensitiveInformation';

/** The mail to send; `{{token}}`, `{{name}}`, `{{login}}` and `{{email}}` are filled in. */
export type EmailTemplateInput = {
  /** Plain-text body; must contain `{{token}}`. */
  body?: string | null | undefined;
  /** Subject line. */
  subject?: string | null | undefined;
};

/** An external identifier of the user. */
export type IdentifierInput = {
  /** Organisation that issued it. */
  assigner?: string | null | undefined;
  /** End of validity. */
  end?: string | null | undefined;
  /** Id of the identifier. */
  id?: string | null | undefined;
  /** Start of validity. */
  start?: string | null | undefined;
  /** Namespace of the value. */
  system?: string | null | undefined;
  /** Kind of identifier. */
  type?: CodeStubInput | null | undefined;
  /** Purpose: usual, official, temp, secondary, old. */
  use?: string | null | undefined;
  /** The identifier itself. */
  value?: string | null | undefined;
};

/** A patch of a user at a known revision: an absent field keeps its value, null clears it. */
export type ModifyUserInput = {
  /** Automatic delegations, one entry per tag. */
  autoDelegations?: Array<AutoDelegationInput> | null | undefined;
  /** Device the user is. */
  deviceId?: string | number | null | undefined;
  /** Email address (.+@.+); blank clears it. */
  email?: string | null | undefined;
  /** Healthcare party the user acts as. */
  healthcarePartyId?: string | number | null | undefined;
  /** Id of the user to modify. */
  id: string | number;
  /** External identifiers. */
  identifiers?: Array<IdentifierInput> | null | undefined;
  /** Username; defaults to the email, then the mobile phone. */
  login?: string | null | undefined;
  /** Mobile phone, 6 to 20 digits with an optional leading +; blank clears it. */
  mobilePhone?: string | null | undefined;
  /** Last name of the user. */
  name?: string | null | undefined;
  /** A new password in plain text (at least 8 characters); stored only as a hash. Null removes the password. */
  password?: string | null | undefined;
  /** Patient the user is. */
  patientId?: string | number | null | undefined;
  /** Permissions (grants and revokes). */
  permissions?: Array<PermissionInput> | null | undefined;
  /** Typed properties (all of them: this replaces the list). */
  properties?: Array<PropertyInput> | null | undefined;
  /** The revision read last; a stale one is CONFLICT. */
  rev: string;
  /** Local roles. */
  roles?: Array<string> | null | undefined;
  /** Account state; ACTIVE when absent or null. */
  status?: UserStatus | null | undefined;
  /** When the terms of use were accepted, epoch milliseconds. */
  termsOfUseDate?: number | null | undefined;
};

/** A set of grants and revokes; revokes win over grants. */
export type PermissionInput = {
  /** Items granted. */
  grants?: Array<PermissionItemInput> | null | undefined;
  /** Items revoked. */
  revokes?: Array<PermissionItemInput> | null | undefined;
};

/** A permission item to grant or revoke. */
export type PermissionItemInput = {
  /** What is granted or revoked. */
  type: PermissionType;
};

/** What a permission item grants or revokes. */
export type PermissionType =
  /** Administers its database (users, configuration). */
  | 'ADMIN'
  /** May authenticate. */
  | 'AUTHENTICATE'
  /** May change and delete financial data. */
  | 'FINANCIAL_CHANGE_DELETE'
  /** May create financial data. */
  | 'FINANCIAL_DATA_CREATE'
  /** May read financial data. */
  | 'FINANCIAL_DATA_VIEW'
  /** Acts as a healthcare party. */
  | 'HCP'
  /** May read legacy data. */
  | 'LEGACY_DATA_VIEW'
  /** May change and delete medical data. */
  | 'MEDICAL_CHANGE_DELETE'
  /** May create medical data. */
  | 'MEDICAL_DATA_CREATE'
  /** May read medical data. */
  | 'MEDICAL_DATA_VIEW'
  /** May change and delete patients. */
  | 'PATIENT_CHANGE_DELETE'
  /** May create patients. */
  | 'PATIENT_CREATE'
  /** May read patients. */
  | 'PATIENT_VIEW'
  /** Acts as a physician. */
  | 'PHYSICIAN';

/** A typed property of a user. */
export type PropertyInput = {
  /** Optional id of the property. */
  id?: string | null | undefined;
  /** What the property is. */
  type: PropertyTypeInput;
  /** Its value. */
  typedValue?: TypedValueInput | null | undefined;
};

/** What a typed property is. */
export type PropertyTypeInput = {
  /** Identifier of the property; properties are merged by it. */
  identifier: string;
  /** Kind of value the property holds. */
  type?: TypedValuesType | null | undefined;
};

/** A value with its kind; set the value field matching `type`. */
export type TypedValueInput = {
  /** For BOOLEAN. */
  booleanValue?: boolean | null | undefined;
  /** For DATE, epoch milliseconds. */
  dateValue?: number | null | undefined;
  /** For DOUBLE. */
  doubleValue?: number | null | undefined;
  /** For INTEGER. */
  integerValue?: number | null | undefined;
  /** For STRING, CLOB and JSON. */
  stringValue?: string | null | undefined;
  /** Kind of the value. */
  type?: TypedValuesType | null | undefined;
};

/** The kind of value a typed property holds, and so which value field is set. */
export type TypedValuesType =
  /** A boolean, in `booleanValue`. */
  | 'BOOLEAN'
  /** A long text, in `stringValue`. */
  | 'CLOB'
  /** An instant in epoch milliseconds, in `dateValue`. */
  | 'DATE'
  /** A floating-point number, in `doubleValue`. */
  | 'DOUBLE'
  /** A 64-bit integer (within the safe JavaScript range), in `integerValue`. */
  | 'INTEGER'
  /** A JSON document as text, in `stringValue`. */
  | 'JSON'
  /** A string, in `stringValue`. */
  | 'STRING';

/** What a change did to a user. */
export type UserChangeKind =
  /** The user was created (its first revision, or a document that was not a user before). */
  | 'CREATED'
  /** The user was soft-deleted (`deletionDate` set), or its document was deleted outright (`user` is null then). */
  | 'DELETED'
  /** A soft-deleted user was restored. */
  | 'UNDELETED'
  /** The user changed and stays as it was in life or deletion. */
  | 'UPDATED';

/** State of the user's account; only ACTIVE users may authenticate. */
export type UserStatus =
  /** The user may log in. */
  | 'ACTIVE'
  /** The user is blocked from logging in. */
  | 'DISABLED'
  /** The user has started but not completed registration. */
  | 'REGISTERING';

export type CreateAuthenticationTokenMutationVariables = Exact<{
  userId: string | number;
  key: string;
  validitySeconds?: number | null | undefined;
  groupId?: string | number | null | undefined;
}>;


export type CreateAuthenticationTokenMutation = { createAuthenticationToken: { key: string, token: string, creationTime: number, validity: number } };

export type AuthenticationTokenValidQueryVariables = Exact<{
  userId: string | number;
  token: string;
}>;


export type AuthenticationTokenValidQuery = { authenticationTokenValid: boolean };

export type CurrentUserQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentUserQuery = { currentUser: { id: string, rev: string, login: string | null, name: string | null, email: string | null, status: UserStatus, groupId: string | null, healthcarePartyId: string | null, roles: Array<string>, hasPassword: boolean, use2fa: boolean, authenticationTokens: Array<{ key: string, creationTime: number | null, validity: number | null, expired: boolean }> | null } };

export type CurrentUserMatchesQueryVariables = Exact<{ [key: string]: never; }>;


export type CurrentUserMatchesQuery = { currentUserMatches: Array<{ groupId: string | null, userId: string, login: string | null, name: string | null, email: string | null, healthcarePartyId: string | null, patientId: string | null }> };

export type CheckPasswordQueryVariables = Exact<{
  password: string;
}>;


export type CheckPasswordQuery = { checkPassword: boolean };

export type EncodePasswordQueryVariables = Exact<{
  password: string;
}>;


export type EncodePasswordQuery = { encodePassword: string };

export type AssignHealthcarePartyToCurrentUserMutationVariables = Exact<{
  healthcarePartyId: string | number;
}>;


export type AssignHealthcarePartyToCurrentUserMutation = { assignHealthcarePartyToCurrentUser: { id: string, rev: string, healthcarePartyId: string | null } };

export type ListUsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  groupId?: string | number | null | undefined;
  skipPatients?: boolean | null | undefined;
}>;


export type ListUsersQuery = { users: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, login: string | null, name: string | null, email: string | null, status: UserStatus, healthcarePartyId: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ListUsersBackwardsQueryVariables = Exact<{
  last: number;
  before?: string | null | undefined;
  groupId?: string | number | null | undefined;
}>;


export type ListUsersBackwardsQuery = { users: { edges: Array<{ cursor: string, node: { id: string, login: string | null } }>, pageInfo: { hasPreviousPage: boolean, startCursor: string | null } } };

export type ListUsersFromKeyQueryVariables = Exact<{
  first?: number | null | undefined;
  startKey?: string | null | undefined;
  startDocumentId?: string | number | null | undefined;
  groupId?: string | number | null | undefined;
}>;


export type ListUsersFromKeyQuery = { users: { edges: Array<{ node: { id: string, login: string | null } }>, nextKeyPair: { startKey: string | null, startKeyDocId: string } | null } };

export type LiveUserChangeFragment = { cursor: string, kind: UserChangeKind, userId: string, user: { id: string, rev: string, login: string | null, name: string | null, email: string | null, status: UserStatus, deletionDate: number | null, healthcarePartyId: string | null, roles: Array<string> } | null } & { ' $fragmentName'?: 'LiveUserChangeFragment' };

export type UserChangedSubscriptionVariables = Exact<{
  id: string | number;
  groupId?: string | number | null | undefined;
  after?: string | number | null | undefined;
}>;


export type UserChangedSubscription = { userChanged: { ' $fragmentRefs'?: { 'LiveUserChangeFragment': LiveUserChangeFragment } } };

export type UsersChangedSubscriptionVariables = Exact<{
  groupId?: string | number | null | undefined;
  healthcarePartyId?: string | number | null | undefined;
  after?: string | number | null | undefined;
}>;


export type UsersChangedSubscription = { usersChanged: { ' $fragmentRefs'?: { 'LiveUserChangeFragment': LiveUserChangeFragment } } };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
  template?: EmailTemplateInput | null | undefined;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  email: string;
  token: string;
  newPassword: string;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type UserByIdQueryVariables = Exact<{
  id: string | number;
  groupId?: string | number | null | undefined;
}>;


export type UserByIdQuery = { user: { id: string, rev: string, login: string | null, name: string | null, email: string | null, mobilePhone: string | null, status: UserStatus, created: number | null, deletionDate: number | null, termsOfUseDate: number | null, healthcarePartyId: string | null, patientId: string | null, deviceId: string | null, roles: Array<string>, hasPassword: boolean, permissions: Array<{ grants: Array<{ type: PermissionType }>, revokes: Array<{ type: PermissionType }> }>, properties: Array<{ type: { identifier: string | null, type: TypedValuesType | null } | null, typedValue: { type: TypedValuesType | null, booleanValue: boolean | null, integerValue: number | null, doubleValue: number | null, stringValue: string | null, dateValue: number | null } | null }>, autoDelegations: Array<{ tag: DelegationTag, delegateIds: Array<string> }>, identifiers: Array<{ system: string | null, value: string | null, type: { code: string | null } | null }> } | null };

export type UserByEmailQueryVariables = Exact<{
  email: string;
  groupId?: string | number | null | undefined;
}>;


export type UserByEmailQuery = { userByEmail: { id: string, login: string | null, name: string | null, status: UserStatus } | null };

export type UserByLoginQueryVariables = Exact<{
  login: string;
  groupId?: string | number | null | undefined;
}>;


export type UserByLoginQuery = { userByLogin: { id: string, login: string | null, name: string | null, status: UserStatus } | null };

export type UsersByHealthcarePartyQueryVariables = Exact<{
  healthcarePartyId: string | number;
  groupId?: string | number | null | undefined;
}>;


export type UsersByHealthcarePartyQuery = { usersByHealthcareParty: Array<{ id: string, login: string | null, name: string | null }> };

export type NodeByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeByIdQuery = { node: { login: string | null, deletionDate: number | null, id: string } | null };

export type NodesByIdsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type NodesByIdsQuery = { nodes: Array<{ login: string | null, deletionDate: number | null, id: string } | null> };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
  groupId?: string | number | null | undefined;
}>;


export type CreateUserMutation = { createUser: { id: string, rev: string, login: string | null, email: string | null, status: UserStatus, created: number | null } };

export type ModifyUserMutationVariables = Exact<{
  input: ModifyUserInput;
  groupId?: string | number | null | undefined;
}>;


export type ModifyUserMutation = { modifyUser: { id: string, rev: string, login: string | null, name: string | null, email: string | null, mobilePhone: string | null, status: UserStatus, roles: Array<string> } };

export type ModifyUserPropertiesMutationVariables = Exact<{
  userId: string | number;
  properties: Array<PropertyInput> | PropertyInput;
  groupId?: string | number | null | undefined;
}>;


export type ModifyUserPropertiesMutation = { modifyUserProperties: { id: string, rev: string, properties: Array<{ type: { identifier: string | null, type: TypedValuesType | null } | null, typedValue: { type: TypedValuesType | null, stringValue: string | null, booleanValue: boolean | null, integerValue: number | null, dateValue: number | null } | null }> } };

export type DeleteUserMutationVariables = Exact<{
  userId: string | number;
  rev?: string | null | undefined;
  groupId?: string | number | null | undefined;
}>;


export type DeleteUserMutation = { deleteUser: { id: string, rev: string } };

export type UndeleteUserMutationVariables = Exact<{
  userId: string | number;
  rev: string;
  groupId?: string | number | null | undefined;
}>;


export type UndeleteUserMutation = { undeleteUser: { id: string, rev: string, deletionDate: number | null } };

export const LiveUserChangeFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LiveUserChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<LiveUserChangeFragment, unknown>;
export const CreateAuthenticationTokenDocument = {"__meta__":{"hash":"sha256:aa46d80a5b9fc9008edd9c18939816b69e46f46ab717a2f9583c7fda5402abff"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateAuthenticationToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"validitySeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createAuthenticationToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"validitySeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"validitySeconds"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"creationTime"}},{"kind":"Field","name":{"kind":"Name","value":"validity"}}]}}]}}]} as unknown as DocumentNode<CreateAuthenticationTokenMutation, CreateAuthenticationTokenMutationVariables>;
export const AuthenticationTokenValidDocument = {"__meta__":{"hash":"sha256:42130a6429d1c9cf5bb43b6763d0c7d2ddc0cfd702fc45034f56ec10c64dc752"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuthenticationTokenValid"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"token"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authenticationTokenValid"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"token"},"value":{"kind":"Variable","name":{"kind":"Name","value":"token"}}}]}]}}]} as unknown as DocumentNode<AuthenticationTokenValidQuery, AuthenticationTokenValidQueryVariables>;
export const CurrentUserDocument = {"__meta__":{"hash":"sha256:71f925168b34cd2b2801b52d120eea1a80f783661e97300163420f465d8fa2c6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentUser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentUser"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"groupId"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"hasPassword"}},{"kind":"Field","name":{"kind":"Name","value":"use2fa"}},{"kind":"Field","name":{"kind":"Name","value":"authenticationTokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"creationTime"}},{"kind":"Field","name":{"kind":"Name","value":"validity"}},{"kind":"Field","name":{"kind":"Name","value":"expired"}}]}}]}}]}}]} as unknown as DocumentNode<CurrentUserQuery, CurrentUserQueryVariables>;
export const CurrentUserMatchesDocument = {"__meta__":{"hash":"sha256:b30da0438fab878f59e1978322a0b8b8aeebdfe11bbec10a429a827bdf8b0d90"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CurrentUserMatches"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"currentUserMatches"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"groupId"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"patientId"}}]}}]}}]} as unknown as DocumentNode<CurrentUserMatchesQuery, CurrentUserMatchesQueryVariables>;
export const CheckPasswordDocument = {"__meta__":{"hash":"sha256:039b3a94c37b9915a9efd1604f73372acffbb482a8dca0574a848df4fd38871f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CheckPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"checkPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}]}]}}]} as unknown as DocumentNode<CheckPasswordQuery, CheckPasswordQueryVariables>;
export const EncodePasswordDocument = {"__meta__":{"hash":"sha256:31f1c59596b22f3561ff68ed5b7a2edf0fc4e05d14dc70db80b2cc84a1b31e32"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EncodePassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"encodePassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}]}]}}]} as unknown as DocumentNode<EncodePasswordQuery, EncodePasswordQueryVariables>;
export const AssignHealthcarePartyToCurrentUserDocument = {"__meta__":{"hash":"sha256:192523b560eb74367ae81dffa726bb4bc40756b9c2962361d0d393a827249f00"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AssignHealthcarePartyToCurrentUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"assignHealthcarePartyToCurrentUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"healthcarePartyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}}]}}]}}]} as unknown as DocumentNode<AssignHealthcarePartyToCurrentUserMutation, AssignHealthcarePartyToCurrentUserMutationVariables>;
export const ListUsersDocument = {"__meta__":{"hash":"sha256:b70515b1c1e62a14fd070811dfecab7b66c7376aea686cd269520128ea47f80b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"skipPatients"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"skipPatients"},"value":{"kind":"Variable","name":{"kind":"Name","value":"skipPatients"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ListUsersQuery, ListUsersQueryVariables>;
export const ListUsersBackwardsDocument = {"__meta__":{"hash":"sha256:793977db51a959df83c51af526627f8a1857c48ff9928f45f7814b3ac16ed1f8"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListUsersBackwards"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}}]}}]}}]}}]} as unknown as DocumentNode<ListUsersBackwardsQuery, ListUsersBackwardsQueryVariables>;
export const ListUsersFromKeyDocument = {"__meta__":{"hash":"sha256:eb3b2edb966566bd48db84307d0ac6bb10a71f159ac53384d26ba6a30d73a528"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListUsersFromKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"startKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"startDocumentId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"startKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"startKey"}}},{"kind":"Argument","name":{"kind":"Name","value":"startDocumentId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"startDocumentId"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextKeyPair"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startKey"}},{"kind":"Field","name":{"kind":"Name","value":"startKeyDocId"}}]}}]}}]}}]} as unknown as DocumentNode<ListUsersFromKeyQuery, ListUsersFromKeyQueryVariables>;
export const UserChangedDocument = {"__meta__":{"hash":"sha256:0e4e52d5bd86b6431692e49a7847961a1c54980e8522c936d0e7498be8bd7447"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"UserChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LiveUserChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LiveUserChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<UserChangedSubscription, UserChangedSubscriptionVariables>;
export const UsersChangedDocument = {"__meta__":{"hash":"sha256:ceebb39a850e2cb2fedb71591222755db5edc2d1666c2acadf63f8d58fbfb2f2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"UsersChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usersChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}},{"kind":"Argument","name":{"kind":"Name","value":"healthcarePartyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"LiveUserChange"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"LiveUserChange"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UserChangeEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<UsersChangedSubscription, UsersChangedSubscriptionVariables>;
export const RequestPasswordResetDocument = {"__meta__":{"hash":"sha256:7bd7a49967e43abec3a07d46867fd41da23ccd93c24c6f96ebffc7bbdcd5613e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestPasswordReset"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"template"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EmailTemplateInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestPasswordReset"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"template"},"value":{"kind":"Variable","name":{"kind":"Name","value":"template"}}}]}]}}]} as unknown as DocumentNode<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = {"__meta__":{"hash":"sha256:2dfd18bd0f8d0c22ae3aebe5d5d150708a8a04090e8488422cd3dac7f8db0d1b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResetPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"token"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"newPassword"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resetPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"token"},"value":{"kind":"Variable","name":{"kind":"Name","value":"token"}}},{"kind":"Argument","name":{"kind":"Name","value":"newPassword"},"value":{"kind":"Variable","name":{"kind":"Name","value":"newPassword"}}}]}]}}]} as unknown as DocumentNode<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const UserByIdDocument = {"__meta__":{"hash":"sha256:014e1817f48133f7e09d114beb518a58c241c66de801d94561762430765c5da7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UserById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"mobilePhone"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}},{"kind":"Field","name":{"kind":"Name","value":"termsOfUseDate"}},{"kind":"Field","name":{"kind":"Name","value":"healthcarePartyId"}},{"kind":"Field","name":{"kind":"Name","value":"patientId"}},{"kind":"Field","name":{"kind":"Name","value":"deviceId"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"hasPassword"}},{"kind":"Field","name":{"kind":"Name","value":"permissions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"grants"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}}]}},{"kind":"Field","name":{"kind":"Name","value":"revokes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"properties"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifier"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}},{"kind":"Field","name":{"kind":"Name","value":"typedValue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"booleanValue"}},{"kind":"Field","name":{"kind":"Name","value":"integerValue"}},{"kind":"Field","name":{"kind":"Name","value":"doubleValue"}},{"kind":"Field","name":{"kind":"Name","value":"stringValue"}},{"kind":"Field","name":{"kind":"Name","value":"dateValue"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoDelegations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tag"}},{"kind":"Field","name":{"kind":"Name","value":"delegateIds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"identifiers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"system"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"type"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UserByIdQuery, UserByIdQueryVariables>;
export const UserByEmailDocument = {"__meta__":{"hash":"sha256:a26c83ee8b600a7d6ff997acb238521d7453f2763e84b303e52ed19ea242e3ea"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UserByEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByEmail"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<UserByEmailQuery, UserByEmailQueryVariables>;
export const UserByLoginDocument = {"__meta__":{"hash":"sha256:8b1189063269ad3e1d7427a59305afdc6e3492bad34281f3c2c098406ed32fa4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UserByLogin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"login"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userByLogin"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"login"},"value":{"kind":"Variable","name":{"kind":"Name","value":"login"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<UserByLoginQuery, UserByLoginQueryVariables>;
export const UsersByHealthcarePartyDocument = {"__meta__":{"hash":"sha256:025ffaca46b3d6097c1c99fd90f352d0d5131c4b9586d62737c05e39c5c4fddd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UsersByHealthcareParty"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usersByHealthcareParty"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"healthcarePartyId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"healthcarePartyId"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<UsersByHealthcarePartyQuery, UsersByHealthcarePartyQueryVariables>;
export const NodeByIdDocument = {"__meta__":{"hash":"sha256:8823c5096a2ee81d171090b66b5a029222c326fb40b5364ab60faacf3c10aa06"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}}]}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const NodesByIdsDocument = {"__meta__":{"hash":"sha256:a5a2dd361a7e74d1fc920bd38ccb4b49c894c7b409735e255cff710f72f3c857"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodesByIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}}]}}]}}]}}]} as unknown as DocumentNode<NodesByIdsQuery, NodesByIdsQueryVariables>;
export const CreateUserDocument = {"__meta__":{"hash":"sha256:ef2755cca824757ededa6fbc454a1740a0160f0b17968ff99e692ccbc9540c31"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUserInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}}]}}]} as unknown as DocumentNode<CreateUserMutation, CreateUserMutationVariables>;
export const ModifyUserDocument = {"__meta__":{"hash":"sha256:28d905ea927073db6a9837cf3dc7abb3ecf9ca790335f00748dd7480ec0bb61c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ModifyUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ModifyUserInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modifyUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"login"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"mobilePhone"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}}]}}]}}]} as unknown as DocumentNode<ModifyUserMutation, ModifyUserMutationVariables>;
export const ModifyUserPropertiesDocument = {"__meta__":{"hash":"sha256:576061e521bb4a599427657c75dc61645f5faa6d3c462af8245a3d015588fa4a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ModifyUserProperties"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"properties"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PropertyInput"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modifyUserProperties"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"properties"},"value":{"kind":"Variable","name":{"kind":"Name","value":"properties"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"properties"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"identifier"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}},{"kind":"Field","name":{"kind":"Name","value":"typedValue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"stringValue"}},{"kind":"Field","name":{"kind":"Name","value":"booleanValue"}},{"kind":"Field","name":{"kind":"Name","value":"integerValue"}},{"kind":"Field","name":{"kind":"Name","value":"dateValue"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ModifyUserPropertiesMutation, ModifyUserPropertiesMutationVariables>;
export const DeleteUserDocument = {"__meta__":{"hash":"sha256:d97bf9767379a12535987b0bc1e63fdcac11707ba85b0d21373a7045aad9c1eb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rev"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"rev"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rev"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}}]}}]}}]} as unknown as DocumentNode<DeleteUserMutation, DeleteUserMutationVariables>;
export const UndeleteUserDocument = {"__meta__":{"hash":"sha256:77c639b346f3652dee78464e92ba7e1e14d9df31188c47d18ad03d93b3ca23fe"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UndeleteUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rev"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"undeleteUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"rev"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rev"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"groupId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"rev"}},{"kind":"Field","name":{"kind":"Name","value":"deletionDate"}}]}}]}}]} as unknown as DocumentNode<UndeleteUserMutation, UndeleteUserMutationVariables>;