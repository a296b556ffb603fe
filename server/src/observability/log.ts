/**
 * The server's structured log: JSON lines (pino) on stdout, at LOG_LEVEL. One line per request
 * (request.ts) and Yoga's own messages go through it. Credentials never reach a line: request
 * lines carry no headers, variables or bodies, and the redaction below is the net behind that.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { YogaLogger } from 'graphql-yoga';
import { SETTINGS } from '../config.js';

/** Paths pino blanks out whatever a line carries: credentials in headers, passwords and tokens in objects. */
export const REDACTED_PATHS = [
  'authorization', 'cookie', 'password', 'token', 'sessionToken', 'csrfToken',
  'headers.authorization', 'headers.cookie', 'headers["set-cookie"]', 'headers["x-csrf-token"]',
  '*.authorization', '*.cookie', '*.password', '*.token', '*.sessionToken', '*.csrfToken',
  '*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]', '*.headers["x-csrf-token"]',
  'variables.*.password', 'variables.password',
];

export function createLogger(level: string = SETTINGS.LOG_LEVEL, destination: DestinationStream = stdout()): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return pino(options, destination);
}

/**
 * Standard output, written in blocks of 4 KiB or every 200 ms, whichever comes first: one write per
 * request line took 380 ms of the main thread in 8 s of 20 writers (profiled), each a job on libuv's
 * pool, which SQLite's statements use too. pino writes what is left on exit.
 */
const stdout = () => pino.destination({ dest: 1, minLength: 4096, periodicFlush: 200 });

/**
 * A child for lines whose keys the code fixes (request.ts): none of them is a redacted path, so the
 * redaction, whose wildcards walk every line, is left off them.
 */
export const fixedShapeChild = (log: Logger, bindings: Record<string, unknown>): Logger => log.child(bindings, { redact: [] });

/** The process's logger. */
export const logger: Logger = createLogger();

/** An error as a log field: its name, message and stack (pino's serializer), or the value itself. */
const fieldsOf = (args: unknown[]) => {
  const err = args.find((a) => a instanceof Error);
  const text = args.filter((a) => typeof a === 'string').join(' ');
  return { fields: err ? { err } : args.length && !text ? { detail: args } : {}, text: text || (err as Error | undefined)?.message || '' };
};

/** Yoga's (and the hub's) logger as pino lines; `keep` filters what `error` logs (refusals with a code are answers, not faults). */
export function yogaLogger(log: Logger, keep: (args: unknown[]) => boolean = () => true): YogaLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    if (level === 'error' && !keep(args)) return;
    const { fields, text } = fieldsOf(args);
    log[level](fields, text);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
