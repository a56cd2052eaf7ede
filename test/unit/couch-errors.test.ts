import { describe, expect, it } from 'vitest';
import { CouchAnswerError, callCouch, isUnavailable, readCouch } from '../../src/couch/couch-errors.js';

const failing = (status: number, body: unknown) => () => Promise.reject(new CouchAnswerError({ status, body }));

describe('callCouch', () => {
  it("answers SERVICE_UNAVAILABLE when CouchDB cannot be reached or says so (502–504, a cluster's node down)", async () => {
    for (const call of [
      () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5984')),
      failing(503, { error: 'service_unavailable' }),
      failing(500, { error: 'nodedown', reason: 'progress not possible' }),
      failing(500, { error: 'rexi_DOWN', reason: 'noconnection' }),
    ]) {
      const error = await callCouch(call).catch((caught: unknown) => caught);
      expect(isUnavailable(error)).toBe(true);
    }
  });

  it('rethrows the other answers as they are, for the caller to interpret', async () => {
    for (const [status, body] of [
      [409, { error: 'conflict' }],
      [404, { error: 'not_found' }],
      [500, { error: 'unknown_error', reason: 'function_clause' }],
    ] as const) {
      const error = await callCouch(failing(status, body)).catch((caught: unknown) => caught);
      expect(isUnavailable(error)).toBe(false);
      expect(error).toMatchObject({ statusCode: status, error: body.error });
    }
  });
});

describe('readCouch', () => {
  it("asks a read again once when a cluster's node is down, then answers SERVICE_UNAVAILABLE", async () => {
    let calls = 0;
    const nodeDownOnce = () => (++calls === 1 ? failing(500, { error: 'nodedown', reason: 'progress not possible' })() : Promise.resolve('rows'));
    expect(await readCouch(nodeDownOnce)).toBe('rows');
    expect(calls).toBe(2);

    calls = 0;
    const alwaysDown = () => {
      calls++;
      return failing(500, { error: 'nodedown' })();
    };
    expect(isUnavailable(await readCouch(alwaysDown).catch((caught: unknown) => caught))).toBe(true);
    expect(calls).toBe(2);
  });

  it('does not ask again for other failures', async () => {
    let calls = 0;
    const conflict = () => {
      calls++;
      return failing(404, { error: 'not_found' })();
    };
    await readCouch(conflict).catch(() => {});
    expect(calls).toBe(1);
  });
});
