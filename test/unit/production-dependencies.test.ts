import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const readJsonc = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8').replace(/^\s*\/\/.*$/gm, ''));
const { dependencies, devDependencies } = readJsonc('package.json');
const runtime = new Set(Object.keys(dependencies));
const development = new Set(Object.keys(devDependencies));
const build = readJsonc('tsconfig.build.json');
const excluded = new Set<string>(build.exclude);

/** The TypeScript sources `npm run build` compiles into dist/. */
const built = (readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' }) as string[])
  .map((file) => `src/${file.split(path.sep).join('/')}`)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && !excluded.has(file));

/** The packages a source loads at run time (type-only imports are erased by the compiler). */
function packagesLoadedBy(file: string): string[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...source.matchAll(/^(?!import type )(?:import|export)\b[^;]*?\bfrom '([^']+)'|\bimport\('([^']+)'\)|^import '([^']+)'/gms)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

describe('a production install (npm ci --omit=dev)', () => {
  it('holds every package the compiled gateway loads', () => {
    expect(built).toContain('src/main.ts');
    expect(built.flatMap(packagesLoadedBy)).toContain('graphql-yoga');
    const missing = built.flatMap((file) =>
      packagesLoadedBy(file)
        .filter((name) => !runtime.has(name))
        .map((name) => `${file} loads ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('leaves out of the build only development tools, which load development dependencies', () => {
    expect(excluded.size).toBeGreaterThan(0);
    for (const file of excluded)
      expect(
        packagesLoadedBy(file).filter((name) => development.has(name)),
        file,
      ).not.toEqual([]);
  });
});
