import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the example operations, from the committed SDL (never live
 * introspection). `test/codegen.test.ts` fails when the committed output is stale.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: 'examples/operations/*.graphql',
  generates: {
    'examples/generated/': {
      preset: 'client',
      // persisted-documents.json: sha256 hash → document, for trusted documents on the gateway.
      presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        // Both custom scalars are JSON numbers: epoch milliseconds and safe integers.
        scalars: { Timestamp: 'number', SafeInt: 'number' },
        strictScalars: true,
        // The project compiles with verbatimModuleSyntax and NodeNext resolution.
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
