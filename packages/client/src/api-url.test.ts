import { describe, expect, it } from 'vitest';
import { apiUrl } from './api-url.js';

describe('apiUrl', () => {
  it('joins the base, the API prefix and encoded segments', () => {
    expect(apiUrl('http://127.0.0.1:7420', ['miners', 'm_1', 'start']).href).toBe(
      'http://127.0.0.1:7420/api/v1/miners/m_1/start',
    );
  });

  it('keeps a base path and encodes hostile segments', () => {
    const url = apiUrl('http://host/rig/', ['miners', 'a/b?c#d']);
    expect(url.pathname).toBe('/rig/api/v1/miners/a%2Fb%3Fc%23d');
    expect(url.search).toBe('');
  });

  it('adds defined query parameters only', () => {
    const url = apiUrl('http://host', ['miners', 'x', 'logs'], { tail: 50, since: undefined });
    expect(url.search).toBe('?tail=50');
  });
});
