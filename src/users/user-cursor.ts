import { z } from 'zod';

/** A user's position in login order: `[login, _id]`, the pagination views' key. */
export type LoginPosition = [login: string | null, id: string];

const positionSchema = z.tuple([z.string().nullable(), z.string().min(1)]);

/** An opaque Relay cursor for a position in login order. */
export function encodeCursor(position: LoginPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(cursor: string): LoginPosition | null {
  try {
    const parsed = positionSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A zod check for cursor arguments, so a bad cursor is BAD_USER_INPUT before any CouchDB call. */
export const cursorSchema = z.string().refine((cursor) => decodeCursor(cursor) !== null, { message: 'not a cursor of this API' });
