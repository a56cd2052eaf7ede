import { z } from 'zod';
import { cursorSchema } from './user-cursor.js';
import { MAX_PAGE_SIZE } from './user-pages.js';

/**
 * iCure's id rule for every entity (kraken-common `EntityIdValidation`): no
 * `/ \ ? # % ;`, whitespace or control characters, and not empty.
 */
export const entityIdSchema = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(512, { message: 'must be at most 512 characters' })
  .regex(/^[^/\\?#%;\s\p{Cc}]+$/u, { message: 'must not contain / \\ ? # % ; whitespace or control characters' });

/** A group id names the database `<prefix>-<groupId>-base`: a CouchDB name component. */
export const groupIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_$()+-]*$/, {
    message: 'must be lower-case letters, digits and _$()+- (a CouchDB database name component)',
  })
  .max(200, { message: 'must be at most 200 characters' });

/** Lookup values (email, login, healthcare party id): bounded, not blank. */
export const lookupValueSchema = z
  .string()
  .max(1024, { message: 'must be at most 1024 characters' })
  .refine((value) => value.trim() !== '', { message: 'must not be blank' });

/** Optional contact fields: a blank value clears the field, as iCure does. */
export const emailSchema = z
  .string()
  .max(320, { message: 'must be at most 320 characters' })
  .refine((value) => value.trim() === '' || /.+@.+/.test(value), { message: 'must look like an email address (.+@.+)' });

export const mobilePhoneSchema = z
  .string()
  .refine((value) => value.trim() === '' || /^\+?[0-9]{6,20}$/.test(value), { message: 'must be 6 to 20 digits, optionally after a +' });

export const loginSchema = z.string().max(320, { message: 'must be at most 320 characters' });

/** A revision as CouchDB writes it, `<generation>-<hex digest>`: anything else cannot be current. */
export const revisionSchema = z
  .string()
  .max(200, { message: 'must be at most 200 characters' })
  .regex(/^[1-9][0-9]*-[0-9a-f]+$/, { message: 'must be a CouchDB revision, <number>-<hex>, as read from rev' });

/** iCure's recommended minimum; bcrypt reads the first 72 bytes. */
export const passwordSchema = z.string().min(8, { message: 'must be at least 8 characters' }).max(1024, { message: 'must be at most 1024 characters' });

/** Short free texts (names, roles, keys): bounded, no control characters. */
export const shortTextSchema = z
  .string()
  .max(1024, { message: 'must be at most 1024 characters' })
  .regex(/^[^\p{Cc}]*$/u, { message: 'must not contain control characters' });

export const validDateSchema = z.date().refine((date) => !Number.isNaN(date.getTime()), { message: 'must be epoch milliseconds' });

/** An authentication token's validity in seconds. */
export const tokenValiditySchema = z
  .number()
  .int()
  .refine((seconds) => seconds === -1 || seconds >= 1, { message: 'must be -1 (never expires) or at least 1 second' });

/** A custom password-reset mail: a bounded subject, and a body that carries the code. */
export const resetMailSubjectSchema = z.string().max(200);
export const resetMailBodySchema = z
  .string()
  .max(10_000)
  .refine((body) => body.includes('{{token}}'), { message: 'must contain {{token}}' });

/** iCure's `startKey`: a login, or part of one. */
export const startKeySchema = z.string().max(1024);

export const pageSizeSchema = z
  .number()
  .int()
  .min(0, { message: 'must not be negative' })
  .max(MAX_PAGE_SIZE, { message: `must be at most ${MAX_PAGE_SIZE}` });

/** A list's Relay paging arguments (its other arguments are checked one by one). */
export const pagingArgumentsSchema = z.looseObject({
  first: pageSizeSchema.nullish(),
  last: pageSizeSchema.nullish(),
  after: cursorSchema.nullish(),
  before: cursorSchema.nullish(),
  groupId: groupIdSchema.nullish(),
});
