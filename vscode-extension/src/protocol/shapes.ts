/**
 * A tiny description language for JSON shapes. The protocol mirror (`protocol.ts`) declares every message once with
 * it; TypeScript types are inferred from the declarations, and the tests check the golden fixtures shared with the Java
 * side against the same declarations, so the types cannot drift from the wire without a test failing.
 */

export interface StringShape {
  readonly kind: 'string';
}
export interface IntegerShape {
  readonly kind: 'integer';
}
export interface NumberShape {
  readonly kind: 'number';
}
export interface BooleanShape {
  readonly kind: 'boolean';
}
export interface EnumShape<V extends string = string> {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly V[];
}
export interface ArrayShape<S extends Shape = Shape> {
  readonly kind: 'array';
  readonly of: S;
}
export interface MapShape<S extends Shape = Shape> {
  readonly kind: 'map';
  readonly of: S;
}
/** Any JSON value: sections the protocol passes through as the config file writes them (`routes`, `limits`). */
export interface JsonShape {
  readonly kind: 'json';
}
export interface Field<S extends Shape = Shape, O extends boolean = boolean> {
  readonly shape: S;
  /** Absent and null mean the same on this wire: the Java side leaves null fields out. */
  readonly optional: O;
}
export interface ObjectShape<F extends Record<string, Field> = Record<string, Field>> {
  readonly kind: 'object';
  readonly name: string;
  readonly fields: F;
}

export type Shape =
  | StringShape
  | IntegerShape
  | NumberShape
  | BooleanShape
  | EnumShape
  | ArrayShape<any> // eslint-disable-line @typescript-eslint/no-explicit-any -- recursive type
  | MapShape<any> // eslint-disable-line @typescript-eslint/no-explicit-any -- recursive type
  | JsonShape
  | ObjectShape<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- recursive type

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

type RequiredKeys<F> = { [K in keyof F]: F[K] extends Field<Shape, false> ? K : never }[keyof F];
type OptionalKeys<F> = { [K in keyof F]: F[K] extends Field<Shape, true> ? K : never }[keyof F];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type of values of a shape. */
export type Infer<S> = S extends StringShape
  ? string
  : S extends IntegerShape | NumberShape
    ? number
    : S extends BooleanShape
      ? boolean
      : S extends EnumShape<infer V>
        ? V
        : S extends ArrayShape<infer O>
          ? Infer<O>[]
          : S extends MapShape<infer O>
            ? Record<string, Infer<O>>
            : S extends JsonShape
              ? JsonValue
              : S extends ObjectShape<infer F>
                ? Simplify<
                    { [K in RequiredKeys<F>]: Infer<F[K]['shape']> } & {
                      [K in OptionalKeys<F>]?: Infer<F[K]['shape']>;
                    }
                  >
                : never;

export const string: StringShape = { kind: 'string' };
export const integer: IntegerShape = { kind: 'integer' };
export const number: NumberShape = { kind: 'number' };
export const boolean: BooleanShape = { kind: 'boolean' };
export const json: JsonShape = { kind: 'json' };

export function enumOf<V extends string>(name: string, values: readonly V[]): EnumShape<V> {
  return { kind: 'enum', name, values };
}
export function arrayOf<S extends Shape>(of: S): ArrayShape<S> {
  return { kind: 'array', of };
}
export function mapOf<S extends Shape>(of: S): MapShape<S> {
  return { kind: 'map', of };
}
export function object<F extends Record<string, Field>>(name: string, fields: F): ObjectShape<F> {
  return { kind: 'object', name, fields };
}
/** A field that is always present. */
export function req<S extends Shape>(shape: S): Field<S, false> {
  return { shape, optional: false };
}
/** A field that may be absent (null on the Java side). */
export function opt<S extends Shape>(shape: S): Field<S, true> {
  return { shape, optional: true };
}

/**
 * What is wrong with a value for a shape, one line per problem with its JSON path. Strict like the Java reader's
 * round trip: unknown fields and missing required fields are problems. `seen` collects `Object.field` names that
 * occurred, for coverage checks.
 */
export function problemsOf(shape: Shape, value: unknown, path = '$', seen?: Set<string>): string[] {
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${describe(value)}`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${describe(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number, got ${describe(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${describe(value)}`];
    case 'json':
      return [];
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value)
        ? []
        : [`${path}: expected one of ${shape.name} (${shape.values.join(', ')}), got ${describe(value)}`];
    case 'array':
      if (!Array.isArray(value)) {
        return [`${path}: expected an array, got ${describe(value)}`];
      }
      return value.flatMap((item, i) => problemsOf(shape.of, item, `${path}[${i}]`, seen));
    case 'map':
      if (!isPlainObject(value)) {
        return [`${path}: expected an object, got ${describe(value)}`];
      }
      return Object.entries(value).flatMap(([k, v]) => problemsOf(shape.of, v, `${path}.${k}`, seen));
    case 'object': {
      if (!isPlainObject(value)) {
        return [`${path}: expected ${shape.name}, got ${describe(value)}`];
      }
      const problems: string[] = [];
      for (const [name, field] of Object.entries(shape.fields) as [string, Field][]) {
        const present = name in value && value[name] !== null && value[name] !== undefined;
        if (!present) {
          if (!field.optional) {
            problems.push(`${path}.${name}: required field of ${shape.name} is missing`);
          }
          continue;
        }
        seen?.add(`${shape.name}.${name}`);
        problems.push(...problemsOf(field.shape, value[name], `${path}.${name}`, seen));
      }
      for (const name of Object.keys(value)) {
        if (!(name in shape.fields)) {
          problems.push(`${path}.${name}: ${shape.name} has no such field`);
        }
      }
      return problems;
    }
  }
}

/** Every `Object.field` name reachable from a shape, for coverage checks. */
export function fieldNamesOf(shape: Shape, into = new Set<string>(), visited = new Set<Shape>()): Set<string> {
  if (visited.has(shape)) {
    return into;
  }
  visited.add(shape);
  if (shape.kind === 'array' || shape.kind === 'map') {
    fieldNamesOf(shape.of, into, visited);
  } else if (shape.kind === 'object') {
    for (const [name, field] of Object.entries(shape.fields) as [string, Field][]) {
      into.add(`${shape.name}.${name}`);
      fieldNamesOf(field.shape, into, visited);
    }
  }
  return into;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
