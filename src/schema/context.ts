import type { UserLoaders } from '../users/user-loaders.js';

/** What every resolver of one request receives. */
export interface GatewayContext {
  /** Per-request DataLoaders, one set per database touched. */
  users: UserLoaders;
}
