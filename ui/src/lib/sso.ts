// Single sign-on (OpenID Connect) on the sign-in page: whether it is on, and the callback's refusals in words.

/** What GET /api/v1/session/oidc tells the sign-in page. */
export interface SsoConfig {
  enabled: boolean;
  label?: string;
  start_url?: string;
}

const WORDS: Record<string, string> = {
  off: 'Single sign-on is not configured on this Weft.',
  unavailable: 'The sign-in provider did not answer. Try again in a moment, or ask an owner to check the single sign-on settings.',
  state: 'That sign-in link was already used, expired, or was started in another browser. Start again with the button below.',
  provider: 'The sign-in provider did not sign you in (you may have cancelled). Start again with the button below.',
  token: 'The sign-in provider\'s answer could not be trusted (wrong issuer, audience, nonce, or an expired token), so you are not signed in. This is recorded in the audit log.',
  email: 'The sign-in provider did not give a verified email address, which Weft needs to sign you in.',
  domain: 'Your email address is outside the email domains this Weft allows. Ask an owner to invite you or to allow your domain.',
  role: 'Your groups at the sign-in provider give you no role on this Weft. Ask an owner for access.',
  disabled: 'Your account on this Weft is disabled. Ask an owner to enable it.',
  taken: 'A Weft account with your email exists already, and the sign-in provider does not say it verified that email, so the two are not linked. Sign in with your password, or ask an owner.',
  setup: 'This Weft has no owner yet: the first person to sign in must be an owner. Create the first owner with a password first.',
};

/** The words for a callback's {@code sso_error} code (an unknown code still gets a sentence). */
export function ssoErrorWords(code: string): string {
  return WORDS[code] ?? `Single sign-on failed (${code}). Start again with the button below.`;
}

/** The {@code sso_error} code in a page address's query ({@code ?sso_error=domain}), or null. */
export function ssoErrorIn(search: string): string | null {
  const code = new URLSearchParams(search).get('sso_error');
  return code && /^[a-z_]{1,32}$/.test(code) ? code : null;
}
