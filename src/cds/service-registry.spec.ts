import { UnknownServiceError } from './cds-errors.js';
import type { ServiceDefinition } from './cds-types.js';
import { ServiceRegistry } from './service-registry.js';

const def = (id: string): ServiceDefinition => ({ id, hook: 'order-sign', title: 'T', description: 'D', scopes: [], evaluate: () => ({ cards: [] }) });

describe('ServiceRegistry', () => {
  it('stops the boot on invalid definitions, naming every problem', () => {
    expect(() => new ServiceRegistry([def('a'), def('a'), { ...def('b'), hook: 'x' as 'order-sign' }]).onModuleInit()).toThrow(
      'invalid CDS service definitions:\n- service id a is defined twice\n- service b: unsupported hook x',
    );
  });

  it('serves discovery and looks services up by id; unknown ids are UnknownServiceError', () => {
    const registry = new ServiceRegistry([def('a')]);
    registry.onModuleInit();
    expect(registry.discover()).toEqual({ services: [{ hook: 'order-sign', title: 'T', description: 'D', id: 'a' }] });
    expect(registry.get('a').id).toBe('a');
    expect(() => registry.get('b')).toThrow(UnknownServiceError);
  });
});
