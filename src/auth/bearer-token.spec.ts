import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { bearerToken, redactAccessToken } from './bearer-token.js';

const requestOf = (url: string, authorization?: string) =>
  ({ url, headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('bearerToken', () => {
  it('reads the Authorization header, and ?access_token= only where allowed', () => {
    expect(bearerToken(requestOf('/cars', 'Bearer abc.def.ghi'), false)).toBe('abc.def.ghi');
    expect(bearerToken(requestOf('/cars', 'bearer   abc'), false)).toBe('abc');
    expect(bearerToken(requestOf('/notifications/sse?access_token=xyz'), true)).toBe('xyz');
    expect(bearerToken(requestOf('/cars?access_token=xyz'), false)).toBeUndefined();
    expect(bearerToken(requestOf('/cars'), true)).toBeUndefined();
  });

  it('counts a malformed Authorization header as a bad token, not as none', () => {
    expect(bearerToken(requestOf('/cars', 'Basic dXNlcjpwYXNz'), false)).toBe('');
    expect(bearerToken(requestOf('/cars', 'Bearer'), false)).toBe('');
  });
});

describe('redactAccessToken', () => {
  it('keeps tokens out of logged URLs', () => {
    expect(redactAccessToken('/notifications/sse?access_token=eyJ.a.b&lastEventId=4')).toBe(
      '/notifications/sse?access_token=[redacted]&lastEventId=4',
    );
    expect(redactAccessToken('/ws/chat?x=1&ACCESS_TOKEN=eyJ')).toBe('/ws/chat?x=1&ACCESS_TOKEN=[redacted]');
    expect(redactAccessToken('/cars?limit=5')).toBe('/cars?limit=5');
  });

  it('redacts every spelling that decodes to access_token, and nothing else', () => {
    expect(redactAccessToken('/cars?access%5Ftoken=eyJ.a.b')).toBe('/cars?access%5Ftoken=[redacted]');
    expect(redactAccessToken('/cars?%61ccess_token=eyJ&x=access_token')).toBe(
      '/cars?%61ccess_token=[redacted]&x=access_token',
    );
    expect(redactAccessToken('/cars?access_token=eyJ#access_token')).toBe('/cars?access_token=[redacted]#access_token');
    expect(redactAccessToken('/cars?%E0%A4%A=1')).toBe('/cars?%E0%A4%A=1'); // malformed escapes stay as they are
  });
});
