/** The links a section may hold: the server's own rule (http(s), mailto and the app's `#/…` links; nothing else). */
import { SECTION_HREF } from '@unionhub/schema';

export const allowedHref = (href: string | null | undefined): boolean => typeof href === 'string' && SECTION_HREF.test(href.trim());
