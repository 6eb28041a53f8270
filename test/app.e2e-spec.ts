import request from 'supertest';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('AppModule', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('boots on PGlite and answers unknown routes with 404', async () => {
    await request(t.server).get('/nope').expect(404);
  });
});
