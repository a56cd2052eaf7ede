import type { StoredIdentifier, StoredPermission, StoredProperty, StoredUser, TypedValuesType, UserStatus } from './stored-user.js';

/** iCure's only kind of permission item. */
export const ALWAYS_PERMISSION_ITEM = 'org.taktik.icure.entities.security.AlwaysPermissionItem';

export interface TypedValuePatch {
  type?: TypedValuesType | null;
  booleanValue?: boolean | null;
  integerValue?: number | null;
  doubleValue?: number | null;
  stringValue?: string | null;
  dateValue?: Date | null;
}

export interface PropertyPatch {
  id?: string | null;
  type: { identifier: string; type?: TypedValuesType | null };
  typedValue?: TypedValuePatch | null;
}

export interface PermissionPatch {
  grants?: PermissionItemPatch[] | null;
  revokes?: PermissionItemPatch[] | null;
}

export interface PermissionItemPatch {
  type: string;
}

export interface AutoDelegationPatch {
  tag: string;
  delegateIds: string[];
}

export type IdentifierPatch = Omit<StoredIdentifier, 'type'> & {
  type?: { id?: string | null; context?: string | null; type?: string | null; code?: string | null; version?: string | null } | null;
};

/**
 * The writable fields of a user, as GraphQL inputs carry them: an absent field
 * keeps the stored value, null clears it, `password` is plain text. The inputs
 * (users/schema/user-inputs.ts) must declare exactly these fields, and
 * `applyUserPatch` must write each: either missing is a type error.
 */
export interface UserPatch {
  login?: string | null;
  email?: string | null;
  mobilePhone?: string | null;
  name?: string | null;
  status?: UserStatus | null;
  roles?: string[] | null;
  permissions?: PermissionPatch[] | null;
  properties?: PropertyPatch[] | null;
  healthcarePartyId?: string | null;
  patientId?: string | null;
  deviceId?: string | null;
  autoDelegations?: AutoDelegationPatch[] | null;
  termsOfUseDate?: Date | null;
  identifiers?: IdentifierPatch[] | null;
  password?: string | null;
}

type PatchableUser = Omit<StoredUser, '_rev'> & { _rev?: string };

/** How each field of a patch is written to the user; one entry per field of UserPatch, or the build fails. */
type FieldWriters = { [Field in keyof UserPatch]-?: (user: PatchableUser, value: Exclude<UserPatch[Field], undefined>) => void };

/** A plain text field copied as it is; null or blank clears it (iCure writes NON_NULL). */
const plainText = (field: 'login' | 'email' | 'mobilePhone' | 'name' | 'healthcarePartyId' | 'patientId' | 'deviceId') => (user: PatchableUser, value: string | null) => {
  if (value === null || value.trim() === '') delete user[field];
  else user[field] = value;
};

const fieldWriters: FieldWriters = {
  login: plainText('login'),
  email: plainText('email'),
  mobilePhone: plainText('mobilePhone'),
  name: plainText('name'),
  healthcarePartyId: plainText('healthcarePartyId'),
  patientId: plainText('patientId'),
  deviceId: plainText('deviceId'),
  status: (user, status) => {
    user.status = status ?? 'ACTIVE';
  },
  roles: (user, roles) => {
    user.roles = roles ?? [];
  },
  permissions: (user, permissions) => {
    user.permissions = (permissions ?? []).map(toStoredPermission);
  },
  properties: (user, properties) => {
    user.properties = (properties ?? []).map(toStoredProperty);
  },
  autoDelegations: (user, delegations) => {
    user.autoDelegations = Object.fromEntries((delegations ?? []).map(({ tag, delegateIds }) => [tag, delegateIds]));
  },
  termsOfUseDate: (user, date) => {
    if (date === null) delete user.termsOfUseDate;
    else user.termsOfUseDate = date.getTime();
  },
  identifiers: (user, identifiers) => {
    user.identifier = (identifiers ?? []).map(withoutNulls) as StoredIdentifier[];
  },
  // Hashing is async: UserWrites sets `passwordHash` once the patch is applied.
  password: () => {},
};

/** The writable fields, as the patch type has them: for checks that the GraphQL inputs declare exactly these. */
export const WRITABLE_USER_FIELDS = Object.keys(fieldWriters) as (keyof UserPatch)[];

function writeField<Field extends keyof UserPatch>(user: PatchableUser, field: Field, value: UserPatch[Field]): void {
  const write = fieldWriters[field] as (user: PatchableUser, value: Exclude<UserPatch[Field], undefined>) => void;
  if (value !== undefined) write(user, value as Exclude<UserPatch[Field], undefined>);
}

/**
 * Applies a patch to a stored user (or to a new user's template) and normalises
 * the result as iCure does on every save: blank email and phone dropped,
 * `login ?: email ?: mobilePhone`, `status ?: ACTIVE`. The password is handled by
 * the caller (hashing is async).
 */
export function applyUserPatch<T extends PatchableUser>(user: T, patch: UserPatch): T {
  const next: PatchableUser = { ...user };
  for (const field of WRITABLE_USER_FIELDS) writeField(next, field, patch[field]);
  if (!next.login) {
    const fallback = next.email ?? next.mobilePhone;
    if (fallback) next.login = fallback;
  }
  next.status ??= 'ACTIVE';
  return next as T;
}

/** The merge of `modifyUserProperties`: replace the value of a matching identifier, append the rest, remove nothing. */
export function mergeProperties(stored: StoredProperty[], incoming: PropertyPatch[]): StoredProperty[] {
  const merged = [...stored];
  for (const property of incoming.map(toStoredProperty)) {
    const index = merged.findIndex((existing) => existing.type?.identifier === property.type?.identifier);
    const existing = index >= 0 ? merged[index] : undefined;
    if (!existing) {
      merged.push(property);
      continue;
    }
    merged[index] = withoutNulls({
      ...existing,
      type: { ...existing.type, type: existing.type?.type ?? property.type?.type },
      typedValue: property.typedValue,
    });
  }
  return merged;
}

// Each conversion names every field of its patch (`satisfies AllOf<…>`): a field
// added to a nested input and not converted is a type error too.
type AllOf<Patch> = { [Field in keyof Patch]-?: unknown } & Record<string, unknown>;

function toStoredPermission(permission: PermissionPatch): StoredPermission {
  const items = (list: PermissionItemPatch[] | null | undefined) =>
    (list ?? []).map((item) => ({ java_type: ALWAYS_PERMISSION_ITEM, type: item.type }) satisfies AllOf<PermissionItemPatch>);
  return { grants: items(permission.grants), revokes: items(permission.revokes) } satisfies AllOf<PermissionPatch>;
}

function toStoredProperty(property: PropertyPatch): StoredProperty {
  const value = property.typedValue;
  return withoutNulls({
    id: property.id,
    type: withoutNulls({ identifier: property.type.identifier, type: property.type.type } satisfies AllOf<PropertyPatch['type']>),
    typedValue: value
      ? withoutNulls({
          type: value.type,
          booleanValue: value.booleanValue,
          integerValue: value.integerValue,
          doubleValue: value.doubleValue,
          stringValue: value.stringValue,
          dateValue: value.dateValue?.getTime(),
        } satisfies AllOf<TypedValuePatch>)
      : undefined,
  } satisfies AllOf<PropertyPatch>);
}

/** Jackson NON_NULL: absent rather than null. */
function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null && field !== undefined)
      .map(([key, field]) => [key, field !== null && typeof field === 'object' && !Array.isArray(field) ? withoutNulls(field) : field]),
  ) as T;
}
