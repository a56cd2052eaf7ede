/**
 * An Apollo Client 4 link for the gateway's subscriptions: GraphQL over Server-Sent
 * Events, one connection per subscription (graphql-sse's "distinct connections"
 * mode, which is how graphql-yoga serves them). Route subscriptions to it and the
 * rest to an HttpLink:
 *
 *   const link = ApolloLink.split(
 *     ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
 *     new GatewaySseLink({ url: 'http://127.0.0.1:4000/graphql', headers: () => ({ authorization }) }),
 *     new HttpLink({ uri: 'http://127.0.0.1:4000/graphql', headers: { authorization } }),
 *   );
 *
 * When a connection drops, graphql-sse reconnects by itself; this link then sends the
 * cursor of the last event it passed on as `Last-Event-ID`, so the gateway replays what
 * was missed (no gap, no duplicate). graphql-sse alone would resubscribe from now.
 */
import { ApolloLink } from '@apollo/client';
import { print } from 'graphql';
import { createClient, type ClientOptions } from 'graphql-sse';
import { Observable } from 'rxjs';

export interface GatewaySseLinkOptions extends Omit<ClientOptions, 'headers' | 'singleConnection' | 'lazy' | 'lazyCloseTimeout' | 'onNonLazyError'> {
  /** Headers of every connection (credentials), asked again on each reconnect. */
  headers?: () => Record<string, string>;
}

export class GatewaySseLink extends ApolloLink {
  constructor(private readonly options: GatewaySseLinkOptions) {
    super();
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    return new Observable<ApolloLink.Result>((observer) => {
      let lastCursor: string | null = null;
      const client = createClient({
        ...this.options,
        singleConnection: false,
        headers: () => ({ ...this.options.headers?.(), ...(lastCursor ? { 'last-event-id': lastCursor } : {}) }),
      });
      const dispose = client.subscribe(
        { query: print(operation.query), variables: operation.variables, operationName: operation.operationName, extensions: operation.extensions },
        {
          next: (result) => {
            lastCursor = cursorOf(result.data) ?? lastCursor;
            observer.next(result as ApolloLink.Result);
          },
          error: (error) => observer.error(error),
          complete: () => observer.complete(),
        },
      );
      return () => {
        dispose();
        client.dispose();
      };
    });
  }
}

/** The `cursor` of a subscription event: every subscription field of the gateway has one. */
function cursorOf(data: Record<string, unknown> | null | undefined): string | null {
  const event = data && Object.values(data)[0];
  const cursor = typeof event === 'object' && event !== null ? (event as { cursor?: unknown }).cursor : undefined;
  return typeof cursor === 'string' ? cursor : null;
}
