import { describe as suite, expect, it } from 'vitest';
import { ApiError, describe } from './api';

suite('error messages shown to people', () => {
  it('says the server could not be reached instead of the browser\'s "Failed to fetch"', () => {
    expect(describe(new TypeError('Failed to fetch'))).toBe(
      'Weft could not be reached: check the network and that the server is running, then try again.');
    expect(describe(new TypeError('NetworkError when attempting to fetch resource.'))).toContain('could not be reached');
  });

  it('keeps other errors and names the fields of a problem', () => {
    expect(describe(new TypeError('x is not a function'))).toBe('x is not a function');
    expect(describe(new ApiError(400, 'invalid', 'the flow is invalid', [{ field: 'nodes[1]', message: 'bad' }])))
      .toBe('the flow is invalid — nodes[1]: bad');
  });
});
