import { forbidden, unauthenticated, type GatewayError } from '../errors.js';
import type { StoredUser } from '../users/stored-user.js';
import type { SubscriberAccess } from '../users/user-event-stream.js';
import { callerOf, type Caller } from './caller.js';
import { grants, type CallerScopes } from './scope-check.js';
import type { ScopeMap } from './scopes.js';

/**
 * A subscriber's access, judged by the rules queries use, for as long as its stream
 * lasts: its credential must still authenticate as the caller's current document
 * (a changed password, a disabled, deleted or vanished user end the stream with
 * UNAUTHENTICATED), the subscription's own scopes must still hold (an ADMIN grant
 * revoked: FORBIDDEN), and each event's user must be one the caller may read.
 */
export class SubscriptionAccess implements SubscriberAccess {
  private caller: Caller | null = null;
  private scopes: CallerScopes | null = null;
  private allowed = false;
  private readonly groupId: string | null;

  constructor(
    caller: Caller,
    /** The scopes of a caller, as the request's own are stated (`authScopes`). */
    private readonly scopesOf: (caller: Caller) => CallerScopes,
    /** What the subscription field requires, as its query counterpart does. */
    private readonly required: ScopeMap,
    /** What reading one user requires (the User type's rule). */
    private readonly readable: (userId: string) => ScopeMap,
    /** Whether the request's credential still authenticates as this document of the caller (the request's context). */
    private readonly credential: { credentialVerifies(user: StoredUser): boolean },
  ) {
    this.groupId = caller.groupId;
    this.become(caller);
  }

  callerChanged(user: StoredUser | null): void {
    this.become(user && this.credential.credentialVerifies(user) ? callerOf(user, this.groupId) : null);
  }

  refusal(): GatewayError | null {
    if (!this.caller || !this.credential.credentialVerifies(this.caller.user)) return unauthenticated('Your credentials no longer authenticate: the subscription ended');
    if (!this.allowed) return forbidden('You may no longer read these users: the subscription ended');
    return null;
  }

  mayRead(userId: string): boolean {
    return this.scopes !== null && grants(this.scopes, this.readable(userId));
  }

  private become(caller: Caller | null): void {
    this.caller = caller;
    this.scopes = caller && this.scopesOf(caller);
    this.allowed = this.scopes !== null && grants(this.scopes, this.required);
  }
}
