/** The GraphQL client: same origin, session cookie, and the CSRF token echoed from its cookie. */
import { Client, fetchExchange } from 'urql';

export function csrfToken(): string {
  return decodeURIComponent(/(?:^|; )uh_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '');
}

export const client = new Client({
  url: '/graphql',
  exchanges: [fetchExchange],
  requestPolicy: 'network-only',
  fetchOptions: () => ({ headers: { 'x-csrf-token': csrfToken() } }),
});

export interface GqlError {
  message: string;
  extensions?: { code?: string; index?: number; [k: string]: unknown };
}

/** Run a query or mutation; resolve with data or reject with the GraphQL errors. */
export async function run<T>(query: string, variables: Record<string, unknown> = {}, mutation = false): Promise<T> {
  const result = mutation ? await client.mutation(query, variables).toPromise() : await client.query(query, variables).toPromise();
  if (result.error) {
    const errors: GqlError[] = result.error.graphQLErrors.length
      ? result.error.graphQLErrors.map((e) => ({ message: e.message, extensions: e.extensions as GqlError['extensions'] }))
      : [{ message: result.error.networkError?.message ?? result.error.message }];
    throw Object.assign(new Error(errors.map((e) => e.message).join('; ')), { errors });
  }
  return result.data as T;
}
