import { z } from 'zod';
import { requireCaller } from '../../auth/caller.js';
import { authScopes, userReadScopes, type ScopeMap } from '../../auth/scopes.js';
import { SubscriptionAccess } from '../../auth/subscriber-access.js';
import { builder } from '../../schema/builder.js';
import type { GatewayContext } from '../../schema/context.js';
import { GatewayError, groupNotFound, subscriptionsOff } from '../../errors.js';
import type { UserEvent } from '../user-event-log.js';
import type { UserEventFilter } from '../user-event-stream.js';
import { lookupValueSchema, entityIdSchema } from '../user-validation.js';
import { groupIdArgument, readOtherUsers, readUserById } from './user-queries.js';
import { UserRef } from './user-type.js';

const UserChangeKindEnum = builder.enumType('UserChangeKind', {
  description: 'What a change did to a user.',
  values: {
    CREATED: { description: 'The user was created (its first revision, or a document that was not a user before).' },
    UPDATED: { description: 'The user changed and stays as it was in life or deletion.' },
    DELETED: { description: 'The user was soft-deleted (`deletionDate` set), or its document was deleted outright (`user` is null then).' },
    UNDELETED: { description: 'A soft-deleted user was restored.' },
  } as const,
});

const UserChangeEventRef = builder.objectRef<UserEvent>('UserChangeEvent').implement({
  description: 'One change of a user, as a subscription delivers it, in the order the database recorded it.',
  fields: (t) => ({
    cursor: t.exposeID('cursor', {
      nullable: false,
      description:
        'Position of this event: pass it as `after` (or as the `Last-Event-ID` header) to resume after it. Opaque; valid on the instance that sent it, within its window of recent events.',
    }),
    kind: t.field({ type: UserChangeKindEnum, nullable: false, description: 'What the change did.', resolve: (event) => event.kind }),
    userId: t.exposeID('userId', { nullable: false, description: 'The CouchDB `_id` of the user that changed.' }),
    user: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user as the change left it, read by the same rules as queries; null when its document was deleted outright.',
      // An object of its own per event: GraphQL layers may mark it, the log's document is shared.
      resolve: (event) => event.user && { ...event.user },
    }),
  }),
});

const cursorArgument = () =>
  builder.args((t) => ({
    after: t.id({
      required: false,
      description:
        'Resume after this cursor (the `cursor` of the last event received): the events since are replayed first, in order. A `Last-Event-ID` header wins over it. A cursor this instance cannot resume gives STALE_CURSOR.',
      validate: { schema: z.string().max(64, { message: 'must be at most 64 characters' }) },
    }),
  }));

builder.subscriptionType({
  description:
    'Live changes of iCure users, over Server-Sent Events (`Accept: text/event-stream`). Every event is authorized as a query would be: a subscriber only receives users it may read.',
});

builder.subscriptionFields((t) => ({
  userChanged: t.field({
    type: UserChangeEventRef,
    nullable: false,
    description: 'Every change of one user, soft and hard deletes included.',
    args: {
      id: t.arg.id({ required: true, description: 'CouchDB `_id` of the user.', validate: { schema: entityIdSchema } }),
      ...groupIdArgument(),
      ...cursorArgument(),
    },
    subscribe: (_root, { id, groupId, after }, context) => openStream(context, groupId, { userId: id }, readUserById(null, { id, groupId }), after),
    resolve: markEvent,
  }),
  usersChanged: t.field({
    type: UserChangeEventRef,
    nullable: false,
    description: 'Every change of the users of a database, or only of those linked to a healthcare party (a user leaving it included).',
    args: {
      ...groupIdArgument(),
      healthcarePartyId: t.arg.id({
        required: false,
        description: 'Only users linked to this healthcare party, before or after the change.',
        validate: { schema: lookupValueSchema },
      }),
      ...cursorArgument(),
    },
    subscribe: (_root, { groupId, healthcarePartyId, after }, context) =>
      openStream(context, groupId, healthcarePartyId == null ? {} : { healthcarePartyId }, readOtherUsers(null, { groupId }), after),
    resolve: markEvent,
  }),
}));

/** The event is the field's value; its cursor becomes the SSE event's id (see also `markEventSent` in server.ts). */
function markEvent(event: UserEvent, _args: unknown, context: GatewayContext): UserEvent {
  if (context.sse) context.sse.id = event.cursor;
  return event;
}

/**
 * The subscriber's stream, from the `Last-Event-ID` header or `after` when given. A
 * refusal (access, limits, a stale cursor) is the stream's one event rather than an
 * HTTP error status, which SSE clients would retry.
 */
async function openStream(
  context: GatewayContext,
  groupId: string | null | undefined,
  filter: UserEventFilter,
  required: ScopeMap,
  after: string | null | undefined,
): Promise<AsyncIterable<UserEvent>> {
  try {
    const events = context.userEvents;
    if (!events) throw subscriptionsOff();
    const caller = requireCaller(context);
    const access = new SubscriptionAccess(caller, (now) => authScopes({ caller: now }), required, userReadScopes, context);
    const refusal = access.refusal();
    if (refusal) throw refusal;
    // Without a groupId argument, a caller works in its own database (as with `context.loaders`).
    const group = groupId ?? caller.groupId;
    const database = await events.database(group);
    if (database === null) throw groupNotFound(group ?? '');
    const stream = events.subscribe({
      database,
      filter,
      caller: { groupId: caller.groupId, userId: caller.user._id },
      access,
      after: context.sse?.lastEventId ?? after ?? null,
    });
    if (context.sse) context.sse.position = () => stream.settledCursor;
    try {
      // The caller as it is now: a change between its authentication and the stream's
      // start reached no stream (later ones do, through its database's feed).
      const loader = context.users.of(caller.groupId).byId;
      const current = await loader.clear(caller.user._id).load(caller.user._id);
      if (current?._rev !== caller.user._rev) stream.callerChanged(current);
    } catch (error) {
      stream.end(null);
      throw error;
    }
    // The stream lives on with the request's context: what its loaders hold is not needed any more.
    context.users.release();
    return stream;
  } catch (error) {
    if (error instanceof GatewayError) return refusedStream(error);
    throw error;
  }
}

/** A stream whose only event is this error. */
function refusedStream(error: GatewayError): AsyncIterableIterator<never> {
  let refused = false;
  const done = (): Promise<IteratorReturnResult<undefined>> => Promise.resolve({ done: true, value: undefined });
  return {
    next: () => {
      if (refused) return done();
      refused = true;
      return Promise.reject(error);
    },
    return: () => {
      refused = true;
      return done();
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
