import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DESIGN_DOCUMENT_NAME } from '../src/couch/design-document.js';
import { startGateway, type Gateway } from '../src/server.js';
import { testConfig } from './support/test-config.js';
import { useTestCouch } from './support/test-gateway.js';

const file = useTestCouch();
const DDOC = `_design/${DESIGN_DOCUMENT_NAME}`;
const silent = pino({ level: 'silent' });

function freshConfig() {
  return testConfig(file.couch.url, { dbPrefix: file.newPrefix() });
}

describe('start-up against CouchDB', () => {
  it('creates <prefix>-base and the design document; two gateways starting at once both succeed', async () => {
    const config = freshConfig();
    const gateways: Gateway[] = await Promise.all([startGateway(config, silent), startGateway(config, silent)]);
    try {
      const db = `${config.dbPrefix}-base`;
      expect(await file.admin.databases()).toContain(db);
      const ddoc = await file.admin.get(db, DDOC);
      expect(ddoc.status).toBe(200);
      expect(ddoc.body._rev).toMatch(/^1-/);
      expect(Object.keys(ddoc.body.views).sort()).toEqual(
        ['admins', 'all_by_login_and_id', 'by_healthcare_party_id', 'by_identifier', 'non_patients_by_login_and_id'].sort(),
      );
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.close()));
    }
  });

  it("leaves an identical design document alone, replaces a changed one, and never touches iCure's", async () => {
    const config = freshConfig();
    const db = `${config.dbPrefix}-base`;
    await file.admin.createDatabase(db);
    const icureDesign = { _id: '_design/User', language: 'javascript', views: { all: { map: 'function(doc) { emit(null, doc._rev); }' } } };
    const [icure] = await file.admin.insert(db, [icureDesign]);

    await (await startGateway(config, silent)).close();
    const installed = (await file.admin.get(db, DDOC)).body;

    await (await startGateway(config, silent)).close();
    expect((await file.admin.get(db, DDOC)).body._rev).toBe(installed._rev);

    // An older gateway's view: the next start replaces it.
    const outdated = { ...installed, views: { ...installed.views, by_identifier: { map: 'function (doc) { emit(doc.login, 1); }' } } };
    await file.admin.insert(db, [outdated]);
    await (await startGateway(config, silent)).close();
    const replaced = (await file.admin.get(db, DDOC)).body;
    expect(replaced._rev).toMatch(/^3-/);
    expect(replaced.views).toEqual(installed.views);

    const untouched = (await file.admin.get(db, '_design/User')).body;
    expect(untouched._rev).toBe(icure?.rev);
    expect(untouched.views).toEqual(icureDesign.views);
  });
});
