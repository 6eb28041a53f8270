import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { InvalidRequestError, type FieldProblem } from '../cds-errors.js';

/** Flattens class-validator's tree into `a.b[0].c: message` problems. */
function toProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...toProblems(e.children ?? [], path)];
  });
}

/** What is wrong with an already-built DTO instance (see `shallowInstance`). */
export async function instanceProblems(instance: object, prefix = ''): Promise<FieldProblem[]> {
  return toProblems(await validate(instance, { whitelist: false, forbidUnknownValues: false }), prefix);
}

/**
 * `value` as an instance of `cls` without copying it: class-validator reads only the prototype's
 * metadata, and a hook body carries prefetch Bundles that plainToInstance would copy in full.
 */
export function shallowInstance<T extends object>(cls: ClassConstructor<T>, value: object): T {
  return Object.assign(Object.create(cls.prototype) as T, value);
}

async function check<T extends object>(cls: ClassConstructor<T>, body: unknown, prefix: string): Promise<{ instance?: T; problems: FieldProblem[] }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problems: [{ path: prefix || '$', message: 'must be a JSON object' }] };
  const instance = plainToInstance(cls, body);
  return { instance, problems: await instanceProblems(instance, prefix) };
}

/**
 * What is wrong with a JSON body for a DTO class (empty when valid). Unknown fields are tolerated
 * (whitelist off), because hooks evolve by adding optional fields and `extension` is open
 * (§Hook Version, §Extensions). Paths are prefixed with `prefix`.
 */
export async function bodyProblems<T extends object>(cls: ClassConstructor<T>, body: unknown, prefix = ''): Promise<FieldProblem[]> {
  return (await check(cls, body, prefix)).problems;
}

/** bodyProblems(), throwing InvalidRequestError naming every bad field; returns the DTO instance. */
export async function validateBody<T extends object>(cls: ClassConstructor<T>, body: unknown, prefix = ''): Promise<T> {
  const { instance, problems } = await check(cls, body, prefix);
  if (instance === undefined || problems.length > 0) throw new InvalidRequestError(problems);
  return instance;
}
