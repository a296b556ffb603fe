/**
 * Limits on what one GraphQL request may ask for, as Yoga plugins: tokens (while parsing),
 * depth and aliases (as validation rules), the values no argument may carry and the estimated cost
 * (with the variables, before anything runs: cost.ts), and a cap on the objects an answer holds
 * (counted while it runs: result-cap.ts). Each refusal carries its code (coded-errors.ts).
 */
import { GraphQLError, Kind, parse, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { refusal } from './coded-errors.js';
import { useCostLimit } from './cost.js';
import { useResultCap } from './result-cap.js';
import { valueRefusal, type ValueProblem } from './values.js';

/** Walk an operation's selections, following fragments once per path (cycles are another rule's error). */
function depthOf(ctx: ValidationContext, set: SelectionSetNode, seen: Set<string>): number {
  let deepest = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      // Introspection's ofType chains follow a type's wrappers (a few at most): they do not nest data.
      const own = sel.name.value === 'ofType' ? 0 : 1;
      deepest = Math.max(deepest, sel.selectionSet ? own + depthOf(ctx, sel.selectionSet, seen) : 1);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(ctx, sel.selectionSet, seen));
    } else {
      const fragment = ctx.getFragment(sel.name.value);
      if (!fragment || seen.has(fragment.name.value)) continue;
      deepest = Math.max(deepest, depthOf(ctx, fragment.selectionSet, new Set(seen).add(fragment.name.value)));
    }
  }
  return deepest;
}

export function maxDepthRule(max: number) {
  return (ctx: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const depth = depthOf(ctx, node.selectionSet, new Set());
      if (depth > max) ctx.reportError(refusal('QUERY_TOO_DEEP', `The query is ${depth} levels deep; at most ${max} are allowed`));
    },
  });
}

export function maxAliasesRule(max: number) {
  return (ctx: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave() {
          if (aliases > max) ctx.reportError(refusal('TOO_MANY_ALIASES', `The request uses ${aliases} aliases; at most ${max} are allowed`));
        },
      },
    };
  };
}

/**
 * What no argument may carry, checked before an operation runs (values.ts): NUL in text, a year
 * outside what any request may name.
 */
const valueError = (p: ValueProblem) => new GraphQLError(p.message, { extensions: { code: 'VALIDATION', fields: [p.field], http: { status: 400 } } });

function useValueGuards(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = valueRefusal(args.document, args.variableValues ?? {});
      if (refused) setResultAndStopExecution({ errors: [valueError(refused)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = valueRefusal(args.document, args.variableValues ?? {});
      if (refused) setResultAndStopExecution({ errors: [valueError(refused)] });
    },
  };
}

/** Parse with a token limit; a syntax error is a BAD_REQUEST, too many tokens TOO_COMPLEX. */
function useTokenLimit(maxTokens: number): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parse(source, { ...options, maxTokens });
        } catch (e) {
          const message = (e as Error).message;
          if (/\d+ tokens\. Parsing aborted/.test(message)) throw refusal('TOO_COMPLEX', `The query has more than ${maxTokens} tokens`);
          throw refusal('BAD_REQUEST', message);
        }
      });
    },
  };
}

function useLimitRules(limits: Limits): Plugin {
  const rules = [maxDepthRule(limits.MAX_QUERY_DEPTH), maxAliasesRule(limits.MAX_ALIASES)];
  return {
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
  };
}

export function limitPlugins(limits: Limits): Plugin[] {
  return [useTokenLimit(limits.MAX_TOKENS), useLimitRules(limits), useValueGuards(), useCostLimit(limits), useResultCap(limits)];
}
