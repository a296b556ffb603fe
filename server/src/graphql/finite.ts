/**
 * GraphQL's Float cannot carry Infinity or NaN: serializing one fails the field, and the client sees
 * INTERNAL. Writes refuse such values (checkValue), but a value stored before that check, a sum of
 * two huge stored values or a ratio over a zero may still produce one. Every nullable Float field
 * (and every nullable item of a Float list) therefore answers null for a non-finite number instead
 * of failing the whole read.
 */
import { defaultFieldResolver, type GraphQLField, type GraphQLOutputType, type GraphQLSchema } from 'graphql';

// Types are read by shape, not with graphql's predicates: graphql can be loaded twice (ESM and CJS).
type Wrapped = { ofType?: GraphQLOutputType; name?: string; constructor: { name: string } };
const kind = (t: GraphQLOutputType) => (t as unknown as Wrapped).constructor.name;
const inner = (t: GraphQLOutputType) => (t as unknown as Wrapped).ofType!;

/** A function that makes a resolved value of this type serializable, or null when the type holds no Float. */
function sanitizer(type: GraphQLOutputType): ((v: unknown) => unknown) | null {
  if (kind(type) === 'GraphQLNonNull') {
    // A non-null Float has no "missing" to fall back on; only its list items can be cleaned.
    const t = inner(type);
    return kind(t) === 'GraphQLList' ? sanitizer(t) : null;
  }
  if (kind(type) === 'GraphQLList') {
    const item = sanitizer(inner(type));
    return item && ((v) => (Array.isArray(v) ? v.map(item) : v));
  }
  if ((type as { name?: string }).name === 'Float') return (v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  return null;
}

export function finiteFloats(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('getFields' in type) || kind(type as never) !== 'GraphQLObjectType') continue;
    for (const field of Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields())) {
      const clean = sanitizer(field.type);
      if (!clean) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx, info) => {
        const value = resolve(source, args, ctx, info);
        return value instanceof Promise ? value.then(clean) : clean(value);
      };
    }
  }
  return schema;
}
