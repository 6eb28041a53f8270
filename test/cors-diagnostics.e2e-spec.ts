import request from 'supertest';
import { buildTestConfig, createTestApp } from './helpers/test-app.js';

describe('CORS diagnostics', () => {
  it('logs a preflight from an origin off cors.origins once per origin, with the fix; the answer stays header-less', async () => {
    const lines: string[] = [];
    const capture = (m: unknown) => void lines.push(String(m));
    const t = await createTestApp(buildTestConfig({ cors: { origins: ['http://localhost:8080'] } }), {
      logger: { log: capture, warn: capture, error: capture, debug: capture, verbose: capture },
    });
    try {
      const preflight = (origin: string) =>
        request(t.server).options('/cds-services').set('Origin', origin).set('Access-Control-Request-Method', 'GET').expect(204);
      const refused = await preflight('http://127.0.0.1:8080');
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      await preflight('http://127.0.0.1:8080');
      await preflight('http://localhost:8080');
      await preflight('https://other.test');
      const cors = lines.filter((l) => l.startsWith('CORS preflight'));
      expect(cors).toHaveLength(2);
      expect(cors[0]).toContain('origin "http://127.0.0.1:8080" refused: not in cors.origins (listed: http://localhost:8080)');
      expect(cors[0]).toContain('localhost ≠ 127.0.0.1');
      expect(cors[1]).toContain('"https://other.test"');
    } finally {
      await t.close();
    }
  });
});
