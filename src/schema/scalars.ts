import { SafeIntResolver, TimestampResolver } from 'graphql-scalars';
import { builder } from './builder.js';

// Epoch-millisecond instants and int64 values exceed GraphQL's 32-bit Int.
builder.addScalarType('Timestamp', TimestampResolver, {});
builder.addScalarType('SafeInt', SafeIntResolver, {});
