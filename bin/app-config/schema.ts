/**
 * A small JSON shape checker: types, required keys and unknown keys, each error with its JSON path
 * (`sites[1].tunnels[0].phase2LifetimeSeconds`). AWS's own rules (ranges, allowed values) are left to the
 * construct's validation, so they are written once.
 */
import { describeValue } from '../../lib/endpoint/errors';

/** Appends an error line for every problem under `path`. */
export type Check = (value: unknown, path: string, errors: string[]) => void;

export interface Field {
  readonly check: Check;
  readonly required?: boolean;
}

/** Keys that must never be in a config file, with the reason shown instead of their value. */
export type ForbiddenKeys = Readonly<Record<string, string>>;


function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

export const string = (pattern?: RegExp, hint?: string): Check => (value, path, errors) => {
  if (typeof value !== 'string') errors.push(`${path}: expected a string, found ${describeValue(value, path)}`);
  else if (pattern && !pattern.test(value)) errors.push(`${path}: ${describeValue(value, path)} is not ${hint ?? `matching ${pattern}`}`);
};

export const integer: Check = (value, path, errors) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) errors.push(`${path}: expected an integer, found ${describeValue(value, path)}`);
};

export const boolean: Check = (value, path, errors) => {
  if (typeof value !== 'boolean') errors.push(`${path}: expected true or false, found ${describeValue(value, path)}`);
};

/** One of a fixed set of literal values (used for discriminators and config-only choices). */
export const literal = (allowed: readonly (string | number)[]): Check => (value, path, errors) => {
  if (!allowed.includes(value as string | number)) {
    errors.push(`${path}: ${describeValue(value, path)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
};

export const arrayOf = (item: Check): Check => (value, path, errors) => {
  if (!Array.isArray(value)) {
    errors.push(`${path}: expected an array, found ${describeValue(value, path)}`);
    return;
  }
  value.forEach((element, i) => item(element, `${path}[${i}]`, errors));
};

export const recordOf = (item: Check): Check => (value, path, errors) => {
  if (!isPlainObject(value)) {
    errors.push(`${path}: expected an object, found ${describeValue(value, path)}`);
    return;
  }
  for (const [key, element] of Object.entries(value)) item(element, join(path, key), errors);
};

export const object = (fields: Readonly<Record<string, Field>>, forbidden: ForbiddenKeys = {}): Check =>
  (value, path, errors) => {
    if (!isPlainObject(value)) {
      errors.push(`${path || 'config'}: expected an object, found ${describeValue(value, path)}`);
      return;
    }
    for (const [key, element] of Object.entries(value)) {
      const field = fields[key];
      if (key in forbidden) errors.push(`${join(path, key)}: ${forbidden[key]}`);
      else if (!field) errors.push(`${join(path, key)}: unknown key (allowed: ${Object.keys(fields).join(', ')})`);
      else field.check(element, join(path, key), errors);
    }
    for (const [key, field] of Object.entries(fields)) {
      if (field.required && !(key in value)) errors.push(`${join(path, key)}: required`);
    }
  };

/** `true`/`false`, or an object of options. */
export const booleanOr = (objectCheck: Check): Check => (value, path, errors) => {
  if (typeof value !== 'boolean') objectCheck(value, path, errors);
};

/** An object whose shape depends on a discriminating key (`type`). */
export const tagged = (tag: string, variants: Readonly<Record<string, Check>>): Check => (value, path, errors) => {
  if (!isPlainObject(value)) {
    errors.push(`${path}: expected an object, found ${describeValue(value, path)}`);
    return;
  }
  const variant = variants[value[tag] as string];
  if (!variant) {
    errors.push(`${join(path, tag)}: ${describeValue(value[tag], join(path, tag))} is not one of ${Object.keys(variants).map((k) => JSON.stringify(k)).join(', ')}`);
    return;
  }
  variant(value, path, errors);
};

/** Picks the object shape by which key is present (e.g. `vpcId` for an imported VPC). */
export const byKey = (key: string, withKey: Check, withoutKey: Check): Check => (value, path, errors) => {
  (isPlainObject(value) && key in value ? withKey : withoutKey)(value, path, errors);
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
