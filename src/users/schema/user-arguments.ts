import { z } from 'zod';

/**
 * iCure's id rule (kraken-common `EntityIdValidation`): no `/ \ ? # % ;`,
 * whitespace or control characters, and not empty.
 */
export const userIdSchema = z
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
