import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { Database } from '../store/database.js';
import { openDatabase } from '../store/open-database.js';
import { KeysService } from './keys.service.js';
import { SigningKeysRepository } from './signing-keys.repository.js';

describe(KeysService.name, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
  });
  afterAll(() => db.close());
  afterEach(() => vi.useRealTimers());

  /** A KeysService on the shared database, and how often it has read the key table (the spy calls through). */
  async function instance(): Promise<{ keys: KeysService; reads: () => number }> {
    const repository = new SigningKeysRepository(db);
    const published = vi.spyOn(repository, 'published');
    const keys = new KeysService(repository);
    await keys.onModuleInit();
    return { keys, reads: () => published.mock.calls.length };
  }

  it('reads the key table once at start, not per signature, verification or JWKS request (frozen clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { keys, reads } = await instance();
    const before = reads();
    for (let i = 0; i < 5; i++) {
      const token = await keys.sign({ sub: `s${i}` });
      await jwtVerify(token, keys.verificationKey);
      await keys.jwks();
    }
    expect(reads()).toBe(before);
    // The cache ages out, so a rotation elsewhere reaches this instance's signer too.
    vi.setSystemTime(Date.now() + 61_000);
    await keys.sign({ sub: 'later' });
    expect(reads()).toBe(before + 1);
  });

  it('refreshes on its own rotation, and keeps verifying what the retired key signed', async () => {
    const { keys, reads } = await instance();
    const old = await keys.sign({ sub: 'x' });
    const before = reads();
    const kid = await keys.rotate();
    expect(reads()).toBe(before + 1);
    expect(decodeProtectedHeader(await keys.sign({ sub: 'y' })).kid).toBe(kid);
    await expect(jwtVerify(old, keys.verificationKey)).resolves.toBeDefined();
    expect((await keys.jwks()).keys[0]?.kid).toBe(kid);
  });

  it('re-reads for a kid another instance just rotated in, at most every 10 s for unknown kids (frozen clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { keys, reads } = await instance();
    const other = await instance();
    await other.keys.rotate();
    const before = reads();
    await expect(jwtVerify(await other.keys.sign({ sub: 'z' }), keys.verificationKey)).resolves.toBeDefined();
    expect(reads()).toBe(before + 1);
    const forged = (kid: string) => jwtVerify(`${Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url')}.e30.AA`, keys.verificationKey);
    await expect(forged('made-up-1')).rejects.toThrow('no applicable key found');
    await expect(forged('made-up-2')).rejects.toThrow('no applicable key found');
    expect(reads()).toBe(before + 1);
    vi.setSystemTime(Date.now() + 10_001);
    await expect(forged('made-up-3')).rejects.toThrow('no applicable key found');
    expect(reads()).toBe(before + 2);
  });
});
