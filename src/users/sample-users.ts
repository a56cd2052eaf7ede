import { randomUUID } from 'node:crypto';
import { Faker, en } from '@faker-js/faker';
import { icureSaltedSha256 } from './passwords.js';
import { USER_JAVA_TYPE, type StoredUser, type UserStatus } from './stored-user.js';

/** The password every sample user with a password has, so demos can log in. */
export const SAMPLE_PASSWORD = 'demo-password';

const ALWAYS_ITEM = 'org.taktik.icure.entities.security.AlwaysPermissionItem';
const LANGUAGES = ['fr', 'nl', 'en', 'de'];

/**
 * Makes realistic iCure users, reproducibly from a seed: healthcare professionals,
 * patients, a few users who are both, soft-deleted ones, and
 * logins that share prefixes (`dr.j.martin`, `dr.j.martin2`, …).
 */
export class SampleUsers {
  private readonly faker: Faker;
  /** One hash for all: hashing a salted SHA-256 per user would only slow seeding down. */
  private readonly passwordHash: string;
  private readonly loginCounts = new Map<string, number>();

  constructor(seed: number) {
    this.faker = new Faker({ locale: [en] });
    this.faker.seed(seed);
    this.passwordHash = icureSaltedSha256(SAMPLE_PASSWORD, this.faker.string.alphanumeric(16));
  }

  next(): Omit<StoredUser, '_rev'> {
    const f = this.faker;
    const firstName = f.person.firstName();
    const lastName = f.person.lastName();
    const kind = f.helpers.weightedArrayElement([
      { weight: 45, value: 'hcp' },
      { weight: 45, value: 'patient' },
      { weight: 5, value: 'both' },
      { weight: 5, value: 'device' },
    ] as const);
    const isHcp = kind === 'hcp' || kind === 'both';
    const base = `${isHcp ? 'dr.' : ''}${firstName.charAt(0)}.${lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    // Repeated names give logins sharing a prefix, as real user bases have.
    const seen = this.loginCounts.get(base) ?? 0;
    this.loginCounts.set(base, seen + 1);
    const login = seen === 0 ? base : `${base}${seen + 1}`;
    const email = `${login}@${f.helpers.arrayElement(['example.org', 'example.com', 'example.be'])}`;
    const created = f.date.past({ years: 5 }).getTime();
    const status: UserStatus = f.helpers.weightedArrayElement([
      { weight: 90, value: 'ACTIVE' },
      { weight: 6, value: 'DISABLED' },
      { weight: 4, value: 'REGISTERING' },
    ]);
    const hcpId = isHcp ? randomUUID() : undefined;
    return {
      _id: randomUUID(),
      java_type: USER_JAVA_TYPE,
      created,
      ...(f.number.int(20) === 0 ? { deleted: created + f.number.int({ min: 86_400_000, max: 10 * 86_400_000 }) } : {}),
      identifier: [],
      name: `${firstName} ${lastName}`,
      properties: [
        {
          type: { identifier: 'org.taktik.icure.preferred.language', type: 'STRING' },
          typedValue: { type: 'STRING', stringValue: f.helpers.arrayElement(LANGUAGES) },
        },
      ],
      roles: isHcp ? ['BASIC_HCP'] : [],
      permissions: [
        {
          // No ADMIN grant: sample users share a known password.
          grants: [{ java_type: ALWAYS_ITEM, type: 'AUTHENTICATE' }],
          revokes: [],
        },
      ],
      status,
      login: kind === 'device' ? `device-${f.string.alphanumeric(8).toLowerCase()}` : login,
      ...(kind === 'device' ? {} : { email }),
      ...(f.number.int(2) === 0 ? { mobilePhone: `+32${f.string.numeric(9)}` } : {}),
      ...(kind === 'device' ? {} : { passwordHash: this.passwordHash }),
      ...(hcpId ? { healthcarePartyId: hcpId } : {}),
      ...(kind === 'patient' || kind === 'both' ? { patientId: randomUUID() } : {}),
      ...(kind === 'device' ? { deviceId: randomUUID() } : {}),
      autoDelegations: hcpId ? { medicalInformation: [hcpId] } : {},
      ...(f.number.int(3) === 0 ? { termsOfUseDate: created + 60_000 } : {}),
      applicationTokens: {},
      authenticationTokens: {},
    };
  }
}
