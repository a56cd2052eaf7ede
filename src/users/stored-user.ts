/**
 * The User document exactly as iCure stores it in CouchDB
 * (kraken-common `entities/User.kt`, Jackson NON_NULL). Unknown fields are kept
 * on the object and ignored by the gateway, as iCure does.
 */
export const USER_JAVA_TYPE = 'org.taktik.icure.entities.User';

export type UserStatus = 'ACTIVE' | 'DISABLED' | 'REGISTERING';
export type LegacyAuthSource = 'database' | 'ldap' | 'token';
export type TypedValuesType = 'BOOLEAN' | 'INTEGER' | 'DOUBLE' | 'STRING' | 'DATE' | 'CLOB' | 'JSON';

export interface StoredTypedValue {
  type?: TypedValuesType | null;
  booleanValue?: boolean | null;
  integerValue?: number | null;
  doubleValue?: number | null;
  stringValue?: string | null;
  /** Epoch milliseconds. */
  dateValue?: number | null;
  encryptedSelf?: string | null;
}

export interface StoredProperty {
  id?: string | null;
  type?: { identifier?: string | null; type?: TypedValuesType | null } | null;
  typedValue?: StoredTypedValue | null;
  deleted?: number | null;
  encryptedSelf?: string | null;
}

export interface StoredPermissionItem {
  /** e.g. `org.taktik.icure.entities.security.AlwaysPermissionItem`. */
  java_type?: string;
  type: string;
  predicate?: unknown;
}

export interface StoredPermission {
  grants?: StoredPermissionItem[];
  revokes?: StoredPermissionItem[];
}

export interface StoredCodeStub {
  id?: string | null;
  context?: string | null;
  type?: string | null;
  code?: string | null;
  version?: string | null;
  label?: Record<string, string> | null;
}

export interface StoredIdentifier {
  id?: string | null;
  assigner?: string | null;
  start?: string | null;
  end?: string | null;
  system?: string | null;
  type?: StoredCodeStub | null;
  use?: string | null;
  value?: string | null;
}

export interface StoredAuthenticationToken {
  /** The token's hash, never its clear value. */
  token?: string | null;
  /** Epoch milliseconds. */
  creationTime?: number | null;
  /** Seconds; -1 never expires. */
  validity?: number | null;
}

export interface StoredUser {
  _id: string;
  _rev: string;
  java_type: typeof USER_JAVA_TYPE;
  /** Soft-delete time in epoch ms (`deletionDate` in the API). */
  deleted?: number | null;
  created?: number | null;
  /** Older iCure versions (icure-backend kraken) wrote this instead of `created`. */
  createdDate?: number | null;
  identifier?: StoredIdentifier[];
  name?: string | null;
  properties?: StoredProperty[];
  roles?: string[];
  permissions?: StoredPermission[];
  type?: LegacyAuthSource | null;
  status?: UserStatus | null;
  login?: string | null;
  passwordHash?: string | null;
  secret?: string | null;
  use2fa?: boolean | null;
  /** Older iCure versions' JSON name of `use2fa`. */
  isUse2fa?: boolean | null;
  groupId?: string | null;
  healthcarePartyId?: string | null;
  patientId?: string | null;
  deviceId?: string | null;
  autoDelegations?: Record<string, string[]>;
  termsOfUseDate?: number | null;
  email?: string | null;
  mobilePhone?: string | null;
  applicationTokens?: Record<string, string>;
  authenticationTokens?: Record<string, StoredAuthenticationToken>;
}

/** True for a document iCure would read as a User (other types share the database). */
export function isStoredUser(doc: unknown): doc is StoredUser {
  return typeof doc === 'object' && doc !== null && (doc as { java_type?: unknown }).java_type === USER_JAVA_TYPE;
}
