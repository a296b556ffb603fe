/** The files page's documents (exports, downloads) and the union picker's search, shared with the sheet. */
import { graphql } from '../graphql.js';

/** Unions the caller may read whose name (without diacritics) or code holds `text`, best first. */
export const FindUnionsQuery = graphql(`
  query FindUnions($text: String!, $limit: Int!) {
    findUnions(text: $text, limit: $limit) { code name level ancestors { code name level } }
  }
`);

/** A short-lived link for one download path (a link cannot carry the CSRF header). */
export const DownloadTicketMutation = graphql(`
  mutation DownloadTicket($path: String!) {
    downloadTicket(path: $path) { url }
  }
`);
