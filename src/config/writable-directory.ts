import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from './environment.js';

/**
 * Creates `directory` if needed and writes a probe file in it, so that a directory the
 * gateway cannot write (permissions, a read-only file system, a file in the way) is
 * reported at start, with `hint` saying which setting to change, rather than at the
 * first write.
 */
export async function requireWritableDirectory(directory: string, hint: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
    const probe = path.join(directory, `.write-check-${randomUUID()}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (error) {
    throw new ConfigurationError(`Cannot write to ${directory} (${error instanceof Error ? error.message : String(error)}): ${hint}`);
  }
}
