import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));
const promised: string = readJson('package.json').engines.node;
const locked: Record<string, { version?: string; engines?: unknown }> = readJson('package-lock.json').packages;

/** The lowest Node of each range `engines` allows, e.g. 20.20.0 and 22.13.0 for `^20.20.0 || ^22.13.0`. */
const lowestPromised = new semver.Range(promised).set.map((comparators) => semver.minVersion(comparators.map(String).join(' '))?.version);

describe('engines', () => {
  it('names the lowest Node of each release line it allows', () => {
    expect(lowestPromised.length).toBeGreaterThan(0);
    for (const version of lowestPromised) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is met by every locked package, so that npm install prints no EBADENGINE', () => {
    const unsupported: string[] = [];
    for (const [location, entry] of Object.entries(locked)) {
      const wanted = typeof entry.engines === 'object' && entry.engines !== null ? (entry.engines as { node?: unknown }).node : undefined;
      if (!location || typeof wanted !== 'string') continue;
      for (const version of lowestPromised) {
        if (version && !semver.satisfies(version, wanted)) unsupported.push(`${location}@${entry.version} wants Node ${wanted}, not ${version}`);
      }
    }
    expect(unsupported).toEqual([]);
  });

  it('allows the Node running the tests', () => {
    expect(semver.satisfies(process.version, promised)).toBe(true);
  });
});
