/** The links a section may hold: http(s), mailto and the app's own `#/…` links; nothing else (javascript:, data:, relative paths). */
export const allowedHref = (href: string | null | undefined): boolean => typeof href === 'string' && /^(https?:\/\/|mailto:|#\/)/i.test(href.trim());
