/**
 * Which department subgraphs the hub composes with ours: `HUB_CONFIG` (a JSON file path) or
 * `hub.config.json` at the repository root; neither → our subgraph alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT, SETTINGS } from '../config.js';

/** The name our own subgraph has in the supergraph; a department may not take it. */
export const SELF_NAME = 'unionhub';

const SubgraphSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ (a GraphQL-safe name)'),
  url: z.url({ protocol: /^https?$/ }),
  /** Skipped with a warning when unreachable at start-up (composition errors still stop it). */
  optional: z.boolean().default(false),
});

export const HubConfigSchema = z
  .object({
    /** Where the hub reaches our own subgraph; default this server's own /graphql. */
    self: z.url({ protocol: /^https?$/ }).optional(),
    subgraphs: z.array(SubgraphSchema).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>([SELF_NAME]);
    c.subgraphs.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['subgraphs', i, 'name'], message: `"${s.name}" is taken` });
      seen.add(s.name);
    });
  });

export type HubConfig = z.infer<typeof HubConfigSchema>;
export type SubgraphEntry = HubConfig['subgraphs'][number];

export function parseHubConfig(json: unknown, source = 'hub config'): HubConfig {
  const r = HubConfigSchema.safeParse(json);
  if (!r.success) {
    throw new Error(`${source} is invalid:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  }
  return r.data;
}

export function loadHubConfig(file = SETTINGS.HUB_CONFIG ?? resolve(REPO_ROOT, 'hub.config.json')): { config: HubConfig; source: string | null } {
  if (!existsSync(file)) {
    if (SETTINGS.HUB_CONFIG) throw new Error(`HUB_CONFIG=${SETTINGS.HUB_CONFIG}: no such file`);
    return { config: parseHubConfig({}), source: null };
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return { config: parseHubConfig(json, file), source: file };
}
