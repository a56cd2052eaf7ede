import type {
  StoredIdentifier,
  StoredPermission,
  StoredProperty,
  StoredUser,
  TypedValuesType,
  UserStatus,
} from './stored-user.js';

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
  grants?: { type: string }[] | null;
  revokes?: { type: string }[] | null;
}

export type IdentifierPatch = Omit<StoredIdentifier, 'type'> & {
  type?: { id?: string | null; context?: string | null; type?: string | null; code?: string | null; version?: string | null } | null;
};

/**
 * The writable fields of a user, as GraphQL inputs carry them: an absent field
 * keeps the stored value, null clears it, `password` is plain text.
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
  autoDelegations?: { tag: string; delegateIds: string[] }[] | null;
  termsOfUseDate?: Date | null;
  identifiers?: IdentifierPatch[] | null;
  password?: string | null;
}

type PatchableUser = Omit<StoredUser, '_rev'> & { _rev?: string };

/** Plain fields copied as they are; null or blank clears them (iCure writes NON_NULL). */
const plainFields = ['login', 'email', 'mobilePhone', 'name', 'healthcarePartyId', 'patientId', 'deviceId'] as const;

/**
 * Applies a patch to a stored user (or to a new user's template) and normalises
 * the result as iCure does on every save: blank email and phone dropped,
 * `login ?: email ?: mobilePhone`, `status ?: ACTIVE`. The password is handled by
 * the caller (hashing is async).
 */
export function applyUserPatch<T extends PatchableUser>(user: T, patch: UserPatch): T {
  const next: PatchableUser = { ...user };
  for (const field of plainFields) {
    const value = patch[field];
    if (value === undefined) continue;
    if (value === null || value.trim() === '') delete next[field];
    else next[field] = value;
  }
  if (patch.status !== undefined) next.status = patch.status ?? 'ACTIVE';
  if (patch.roles !== undefined) next.roles = patch.roles ?? [];
  if (patch.permissions !== undefined) next.permissions = (patch.permissions ?? []).map(toStoredPermission);
  if (patch.properties !== undefined) next.properties = (patch.properties ?? []).map(toStoredProperty);
  if (patch.autoDelegations !== undefined) {
    next.autoDelegations = Object.fromEntries((patch.autoDelegations ?? []).map(({ tag, delegateIds }) => [tag, delegateIds]));
  }
  if (patch.identifiers !== undefined) next.identifier = (patch.identifiers ?? []).map(withoutNulls) as StoredIdentifier[];
  if (patch.termsOfUseDate !== undefined) {
    if (patch.termsOfUseDate === null) delete next.termsOfUseDate;
    else next.termsOfUseDate = patch.termsOfUseDate.getTime();
  }
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

function toStoredPermission(permission: PermissionPatch): StoredPermission {
  const items = (list: { type: string }[] | null | undefined) => (list ?? []).map(({ type }) => ({ java_type: ALWAYS_PERMISSION_ITEM, type }));
  return { grants: items(permission.grants), revokes: items(permission.revokes) };
}

function toStoredProperty(property: PropertyPatch): StoredProperty {
  const value = property.typedValue;
  return withoutNulls({
    id: property.id,
    type: withoutNulls({ identifier: property.type.identifier, type: property.type.type }),
    typedValue: value
      ? withoutNulls({
          type: value.type,
          booleanValue: value.booleanValue,
          integerValue: value.integerValue,
          doubleValue: value.doubleValue,
          stringValue: value.stringValue,
          dateValue: value.dateValue?.getTime(),
        })
      : undefined,
  });
}

/** Jackson NON_NULL: absent rather than null. */
function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null && field !== undefined)
      .map(([key, field]) => [key, field !== null && typeof field === 'object' && !Array.isArray(field) ? withoutNulls(field) : field]),
  ) as T;
}
