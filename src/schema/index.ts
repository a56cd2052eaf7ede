import { builder } from './builder.js';
import './scalars.js';
import '../users/schema/index.js';

/** The gateway's executable schema, built once at start-up. */
export const schema = builder.toSchema({ sortSchema: true });
