/** A cap on the objects one answer holds, counted while it runs (stands behind the estimate). */
import { defaultFieldResolver, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { refusal } from './coded-errors.js';
import { isList, namedType, operationOf } from './cost.js';

/** A scalar value holding items says how many under this key (graphql/raw-json.ts): they are counted like a list's. */
export const ITEMS_HELD = Symbol('items held');

/** Per operation: list items its answer may still hold. */
interface Budget { left: number; cap: number; over: boolean }
const budgets = new WeakMap<object, Budget>();
const counted = new WeakSet<object>();

const tooLarge = (cap: number) => refusal('RESPONSE_TOO_LARGE', `The answer would hold more than ${cap} objects; ask for less (a smaller limit, depth or subtree)`);

/**
 * Wrap each resolver of a list of objects, or of a scalar holding one (once per schema), to count the items it returns against
 * the operation's budget; past it, this and every later list resolver throws at once, so the work
 * below stops early (each list is counted before anything under it is resolved).
 */
function countListItems(schema: GraphQLSchema): void {
  if (counted.has(schema)) return;
  counted.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !('isTypeOf' in type) || !('getFields' in type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      const item = namedType(field.type);
      // A scalar holding a list of objects (Grid.table, bounded in the estimate like a list) counts its items too.
      const objectList = isList(field.type) && ('getFields' in item || 'getTypes' in item);
      const scalarOfItems = !isList(field.type) && Boolean(field.extensions?.maxItems);
      if (!objectList && !scalarOfItems) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const budget = budgets.get(context as object);
        if (!budget) return resolve(source, args, context, info);
        if (budget.over) throw tooLarge(budget.cap);
        const spend = (items: unknown) => {
          const n = Array.isArray(items) ? items.length : ((items as { [ITEMS_HELD]?: number } | null)?.[ITEMS_HELD] ?? 0);
          if ((budget.left -= n) < 0) {
            budget.over = true;
            throw tooLarge(budget.cap);
          }
          return items;
        };
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then(spend) : spend(result);
      };
    }
  }
}

/**
 * MAX_RESULT_ITEMS: a query whose answer outgrows it is stopped and answered with one RESPONSE_TOO_LARGE.
 * Not a mutation: once it has written, its answer must say so (its lists are bounded by the estimate:
 * the cells it was given, the selection it moved).
 */
export function useResultCap(limits: Limits): Plugin {
  return {
    onExecute({ args }) {
      if (operationOf(args)?.operation === 'mutation') return;
      countListItems(args.schema);
      const budget: Budget = { left: limits.MAX_RESULT_ITEMS, cap: limits.MAX_RESULT_ITEMS, over: false };
      budgets.set(args.contextValue as object, budget);
      return {
        onExecuteDone({ result, setResult }) {
          budgets.delete(args.contextValue as object);
          if (budget.over && !(Symbol.asyncIterator in (result as object))) setResult({ errors: [tooLarge(budget.cap)] });
        },
      };
    },
    // A subscription's answers are counted one event at a time: an event over the cap is replaced, the stream goes on.
    onSubscribe({ args }) {
      countListItems(args.schema);
      const budget: Budget = { left: limits.MAX_RESULT_ITEMS, cap: limits.MAX_RESULT_ITEMS, over: false };
      budgets.set(args.contextValue as object, budget);
      return {
        onSubscribeResult: () => ({
          onNext({ setResult }) {
            if (budget.over) setResult({ errors: [tooLarge(budget.cap)] });
            budget.left = budget.cap;
            budget.over = false;
          },
          onEnd: () => void budgets.delete(args.contextValue as object),
        }),
      };
    },
  };
}
