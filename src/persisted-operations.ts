import { readFile } from 'node:fs/promises';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { z } from 'zod';
import { confirmedCaller } from './auth/caller-confirmation.js';
import type { GatewayContext } from './schema/context.js';
import { forbidden, untrustedOperation } from './errors.js';

const manifestSchema = z.record(z.string(), z.string().min(1));

/**
 * Trusted documents: only the operations of a manifest run, addressed by their
 * SHA-256 (Apollo's `extensions.persistedQuery.sha256Hash`, hex or `sha256:`-prefixed). The
 * manifest is the one graphql-codegen's client preset writes (`sha256:<hex>` →
 * document). In development mode an admin may still run any operation, so that
 * GraphiQL stays usable; in production nobody may.
 */
export async function trustedDocuments(manifestFile: string, developmentMode: boolean): Promise<Plugin<GatewayContext>> {
  let manifest: Record<string, string>;
  try {
    manifest = manifestSchema.parse(JSON.parse(await readFile(manifestFile, 'utf8')));
  } catch (error) {
    throw new Error(`PERSISTED_OPERATIONS_FILE ${manifestFile}: not a readable manifest (${error instanceof Error ? error.message : error})`);
  }
  const arbitrary = new WeakSet<Request>();
  const persisted = usePersistedOperations<GatewayContext>({
    getPersistedOperation: (key) => manifest[key] ?? manifest[`sha256:${key}`] ?? null,
    allowArbitraryOperations: (request) => {
      if (developmentMode) arbitrary.add(request);
      return developmentMode;
    },
    customErrors: {
      notFound: () => untrustedOperation('No trusted operation has this hash', 'NOT_FOUND'),
      persistedQueryOnly: () => untrustedOperation('Only trusted (persisted) operations run on this server', 'REQUIRED'),
      keyNotFound: () => untrustedOperation('Only trusted (persisted) operations run on this server', 'REQUIRED'),
    },
  });
  // Subscriptions never reach onExecute: both hooks check.
  const onlyAdmins = async ({
    args,
    setResultAndStopExecution,
  }: {
    args: { contextValue: unknown };
    setResultAndStopExecution(result: { errors: GraphQLError[] }): void;
  }) => {
    const context = args.contextValue as GatewayContext & { request: Request };
    if (arbitrary.has(context.request) && !(await confirmedCaller(context))?.isAdmin) {
      setResultAndStopExecution({
        errors: [forbidden('Only admins may run operations that are not trusted documents')],
      });
    }
  };
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(persisted);
    },
    onExecute: onlyAdmins,
    onSubscribe: onlyAdmins,
  };
}
