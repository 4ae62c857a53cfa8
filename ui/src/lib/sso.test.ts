import { describe, expect, it } from 'vitest';
import { ssoErrorIn, ssoErrorWords } from './sso';

describe('single sign-on errors', () => {
  it('reads the code from the query and refuses anything that is not a plain code', () => {
    expect(ssoErrorIn('?sso_error=domain')).toBe('domain');
    expect(ssoErrorIn('?x=1&sso_error=token')).toBe('token');
    expect(ssoErrorIn('')).toBeNull();
    expect(ssoErrorIn('?sso_error=<script>')).toBeNull();
  });

  it('says each refusal in words, and an unknown one still in a sentence', () => {
    expect(ssoErrorWords('domain')).toContain('outside the email domains');
    expect(ssoErrorWords('disabled')).toContain('disabled');
    expect(ssoErrorWords('token')).toContain('could not be trusted');
    expect(ssoErrorWords('weird')).toBe('Single sign-on failed (weird). Start again with the button below.');
  });
});
