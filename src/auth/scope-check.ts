import type { authScopes, ScopeMap } from './scopes.js';

/** The scopes of a caller, as `authScopes` states them for a request. */
export type CallerScopes = ReturnType<typeof authScopes>;

/**
 * Whether scopes grant a scope map, as scope-auth decides it (any scope of the map,
 * `$any` nested, `$all` each): for checks that outlive a request's own, like a
 * subscription's on every event.
 */
export function grants(scopes: CallerScopes, { $any, $all, ...map }: ScopeMap, forAll = false): boolean {
  const results = Object.entries(map).map(([name, parameter]) => {
    const scope = scopes[name as keyof CallerScopes];
    return typeof scope === 'function' ? scope(parameter as string) : scope === true;
  });
  if ($any) results.push(grants(scopes, $any, false));
  if ($all) results.push(grants(scopes, $all, true));
  return forAll ? results.every(Boolean) : results.some(Boolean);
}
