import { builder } from '../../schema/builder.js';

export const UserStatusEnum = builder.enumType('UserStatus', {
  description: "State of the user's account; only ACTIVE users may authenticate.",
  values: {
    ACTIVE: { description: 'The user may log in.' },
    DISABLED: { description: 'The user is blocked from logging in.' },
    REGISTERING: { description: 'The user has started but not completed registration.' },
  } as const,
});

/** iCure stores the legacy authentication source in lower case. */
export const UserTypeEnum = builder.enumType('UserType', {
  description: 'Legacy authentication source of the user (deprecated in iCure, kept for old data).',
  values: {
    DATABASE: { value: 'database', description: 'Credentials checked against the database.' },
    LDAP: { value: 'ldap', description: 'Credentials checked against an LDAP directory.' },
    TOKEN: { value: 'token', description: 'Authenticates with tokens only.' },
  } as const,
});

/**
 * An enum whose values are their own names, each described; with a type guard,
 * since stored documents may hold values this schema does not know.
 */
function describedEnum<const Values extends Record<string, string>>(name: string, description: string, values: Values) {
  type Name = keyof Values & string;
  const ref = builder.enumType(name, {
    description,
    values: Object.fromEntries(Object.entries(values).map(([value, text]) => [value, { description: text }])) as Record<Name, { description: string }>,
  });
  const isValue = (value: unknown): value is Name => typeof value === 'string' && Object.hasOwn(values, value);
  return [ref, isValue] as const;
}

const permissionTypes = {
  AUTHENTICATE: 'May authenticate.',
  HCP: 'Acts as a healthcare party.',
  PHYSICIAN: 'Acts as a physician.',
  ADMIN: 'Administers its database (users, configuration).',
  PATIENT_VIEW: 'May read patients.',
  PATIENT_CREATE: 'May create patients.',
  PATIENT_CHANGE_DELETE: 'May change and delete patients.',
  MEDICAL_DATA_VIEW: 'May read medical data.',
  MEDICAL_DATA_CREATE: 'May create medical data.',
  MEDICAL_CHANGE_DELETE: 'May change and delete medical data.',
  FINANCIAL_DATA_VIEW: 'May read financial data.',
  FINANCIAL_DATA_CREATE: 'May create financial data.',
  FINANCIAL_CHANGE_DELETE: 'May change and delete financial data.',
  LEGACY_DATA_VIEW: 'May read legacy data.',
} as const;

export const [PermissionTypeEnum, isPermissionType] = describedEnum('PermissionType', 'What a permission item grants or revokes.', permissionTypes);

const typedValuesTypes = {
  BOOLEAN: 'A boolean, in `booleanValue`.',
  INTEGER: 'A 64-bit integer (within the safe JavaScript range), in `integerValue`.',
  DOUBLE: 'A floating-point number, in `doubleValue`.',
  STRING: 'A string, in `stringValue`.',
  DATE: 'An instant in epoch milliseconds, in `dateValue`.',
  CLOB: 'A long text, in `stringValue`.',
  JSON: 'A JSON document as text, in `stringValue`.',
} as const;

export const [TypedValuesTypeEnum, isTypedValuesType] = describedEnum(
  'TypedValuesType',
  'The kind of value a typed property holds, and so which value field is set.',
  typedValuesTypes,
);

const delegationTags = {
  all: 'Every kind of data.',
  administrativeData: 'Administrative data.',
  anonymousMedicalInformation: 'Anonymous medical information.',
  generalInformation: 'General information.',
  financialInformation: 'Financial information.',
  medicalInformation: 'Medical information.',
  sensitiveInformation: 'Sensitive information.',
  confidentialInformation: 'Confidential information.',
  cdItemRisk: 'Risks.',
  cdItemFamilyRisk: 'Family risks.',
  cdItemHealthcareelement: 'Healthcare elements.',
  cdItemHealthcareapproach: 'Healthcare approaches.',
  cdItemAllergy: 'Allergies.',
  cdItemDiagnosis: 'Diagnoses.',
  cdItemLab: 'Lab results.',
  cdItemResult: 'Results.',
  cdItemParameter: 'Parameters.',
  cdItemMedication: 'Medications.',
  cdItemTreatment: 'Treatments.',
  cdItemVaccine: 'Vaccines.',
} as const;

/** iCure's DelegationTag names, kept verbatim: they are the keys of stored `autoDelegations`. */
export const [DelegationTagEnum, isDelegationTag] = describedEnum('DelegationTag', 'The kind of data an automatic delegation covers.', delegationTags);
