import { ROLES } from '@unionhub/schema';
import { builder } from './builder.js';
import { UnionRef } from './union.js';
import {
  createUser, grantRole, grantsOf, issueToken, listTokens, listUsers, revokeGrant, revokeToken, SESSION_DAYS,
  setUserDisabled, signIn, signOut, type TokenRow, type UserRow,
} from '../domain/auth.js';
import { Access, type Grant } from '../domain/access.js';
import { CSRF_COOKIE, SESSION_COOKIE, type Context } from '../context.js';
import { z } from 'zod';
import { checkArgs, text } from '../hardening/input.js';
import { SETTINGS } from '../config.js';

// Caps before any hashing: a megabyte "password" must not reach scrypt.
const SignInArgs = z.object({ username: text(100), password: text(200) });
const CreateUserArgs = z.object({ username: text(100), displayName: text(200), password: text(200) });
const IssueTokenArgs = z.object({ username: text(100), name: text(200) });

const RoleEnum = builder.enumType('Role', {
  values: Object.fromEntries(ROLES.map((r) => [r.role.toUpperCase(), { value: r.role, description: `${r.labelVi} — ${r.labelEn}: ${r.operations.join(', ')}` }])),
});

const GrantRef = builder.objectRef<Grant>('RoleGrant').implement({
  description: 'A role on a union and everything below it.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    role: t.field({ type: RoleEnum, resolve: (g) => g.role }),
    union: t.field({ type: UnionRef, resolve: async (g, _, ctx) => (await ctx.unionByCode.load(g.unionCode))! }),
  }),
});

const UserRef = builder.objectRef<UserRow>('User').implement({
  fields: (t) => ({
    username: t.exposeString('username'),
    displayName: t.exposeString('displayName'),
    disabled: t.exposeBoolean('disabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    grants: t.field({ type: [GrantRef], resolve: (u, _, ctx) => grantsOf(ctx.db, u.id) }),
  }),
});

const TokenRef = builder.objectRef<TokenRow>('ApiToken').implement({
  description: 'An API token; the secret itself is shown once, when issued, and stored only as a hash.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    username: t.exposeString('username'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters, to recognise it.' }),
    issuedBy: t.exposeString('issuedBy', { nullable: true, description: 'The username of the administrator who issued it (null: issued outside the API or before this was recorded).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const IssuedTokenRef = builder.objectRef<{ token: string; info: TokenRow }>('IssuedToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`. Not retrievable later.' }),
    info: t.field({ type: TokenRef, resolve: (x) => x.info }),
  }),
});

const MeRef = builder.objectRef<Context>('Me').implement({
  fields: (t) => ({
    username: t.string({ resolve: (c) => c.access.caller!.username }),
    displayName: t.string({ resolve: (c) => c.access.caller!.displayName }),
    grants: t.field({ type: [GrantRef], resolve: (c) => c.access.caller!.grants }),
  }),
});

const SignInRef = builder.objectRef<{ ctx: Context; csrfToken: string }>('SignIn').implement({
  fields: (t) => ({
    me: t.field({ type: MeRef, resolve: (s) => s.ctx }),
    csrfToken: t.string({ description: `Also set in the ${CSRF_COOKIE} cookie; send it as the x-csrf-token header.`, resolve: (s) => s.csrfToken }),
  }),
});

function cookie(name: string, value: string, maxAge: number, httpOnly: boolean): string {
  const secure = SETTINGS.COOKIE_SECURE ? '; Secure' : '';
  return `${name}=${encodeURIComponent(value)}; Path=/; Max-Age=${maxAge}; SameSite=Strict${httpOnly ? '; HttpOnly' : ''}${secure}`;
}

builder.queryFields((t) => ({
  me: t.field({ type: MeRef, description: 'The caller and its grants.', resolve: (_, __, ctx) => ctx }),
  users: t.field({ type: [UserRef], authScopes: { administrator: true }, resolve: (_, __, ctx) => listUsers(ctx.db) }),
  apiTokens: t.field({ type: [TokenRef], authScopes: { administrator: true }, resolve: (_, __, ctx) => listTokens(ctx.db) }),
}));

builder.mutationFields((t) => ({
  signIn: t.field({
    type: SignInRef,
    skipTypeScopes: true,
    description: 'Sets an httpOnly session cookie. After a few failed attempts (per username and address, per address, per username) each further one must wait 1 s, 2 s, 4 s… (RATE_LIMITED with extensions.retryAfter, in seconds); nothing is locked.',
    args: { username: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_, { username, password }, ctx) => {
      checkArgs(SignInArgs, { username, password });
      const s = await signIn(ctx.db, username, password, ctx.address);
      const maxAge = SESSION_DAYS * 86_400;
      ctx.cookies.push(cookie(SESSION_COOKIE, s.sessionToken, maxAge, true), cookie(CSRF_COOKIE, s.csrfToken, maxAge, false));
      ctx.access = new Access(s.caller);
      ctx.actor = s.caller.username;
      return { ctx, csrfToken: s.csrfToken };
    },
  }),
  signOut: t.boolean({
    resolve: async (_, __, ctx) => {
      if (ctx.sessionToken) await signOut(ctx.db, ctx.sessionToken);
      ctx.cookies.push(cookie(SESSION_COOKIE, '', 0, true), cookie(CSRF_COOKIE, '', 0, false));
      return true;
    },
  }),
  createUser: t.field({
    type: UserRef,
    authScopes: { administrator: true },
    args: { username: t.arg.string({ required: true }), displayName: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => (checkArgs(CreateUserArgs, args), createUser(ctx.db, args)),
  }),
  setUserDisabled: t.field({
    type: UserRef,
    authScopes: { administrator: true },
    description: 'A disabled user cannot sign in; its sessions end and its tokens stop working.',
    args: { username: t.arg.string({ required: true }), disabled: t.arg.boolean({ required: true }) },
    resolve: (_, args, ctx) => setUserDisabled(ctx.db, args.username, args.disabled),
  }),
  grantRole: t.field({
    type: GrantRef,
    authScopes: { administrator: true },
    args: { username: t.arg.string({ required: true }), role: t.arg({ type: RoleEnum, required: true }), unionCode: t.arg.string({ required: true }) },
    resolve: (_, args, ctx) => grantRole(ctx.db, args, ctx.actor),
  }),
  revokeRole: t.boolean({
    authScopes: { administrator: true },
    args: { grantId: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => revokeGrant(ctx.db, args.grantId),
  }),
  issueToken: t.field({
    type: IssuedTokenRef,
    authScopes: { administrator: true },
    args: { username: t.arg.string({ required: true }), name: t.arg.string({ required: true }), expiresInDays: t.arg.int() },
    resolve: (_, args, ctx) => (checkArgs(IssueTokenArgs, args), issueToken(ctx.db, args, ctx.actor)),
  }),
  revokeToken: t.boolean({
    authScopes: { administrator: true },
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, args, ctx) => revokeToken(ctx.db, args.id),
  }),
}));
