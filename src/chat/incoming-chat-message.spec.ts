import { describe, expect, it } from '@jest/globals';
import { parseIncomingMessage } from './incoming-chat-message.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const parse = (frame: unknown) =>
  parseIncomingMessage(typeof frame === 'string' ? frame : JSON.stringify(frame), 50, now);

describe('parseIncomingMessage', () => {
  it('keeps the dashboard frame as it is', () => {
    const frame = { id: '1764000000000', sender: 'admin', content: 'Hi', timestamp: '2026-11-24T11:59:59.000Z' };
    expect(parse(frame)).toEqual({ message: frame });
  });

  it('fills in id, timestamp and sender only when absent', () => {
    const result = parse({ content: 'Hi' });
    expect(result).toMatchObject({ message: { sender: 'agency', content: 'Hi', timestamp: now.toISOString() } });
    expect('message' in result && result.message.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('normalises a numeric timestamp to ISO', () => {
    expect(parse({ content: 'Hi', timestamp: now.getTime() })).toMatchObject({
      message: { timestamp: now.toISOString() },
    });
  });

  it.each([
    ['{oops', 'not JSON'],
    ['null', 'not a JSON object'],
    ['[{"content":"x"}]', 'not a JSON object'],
    [{ content: '' }, 'content must be a non-empty string'],
    [{ content: 'x'.repeat(51) }, 'content is longer than 50 characters'],
    [{ content: 'x', sender: 'AGENCY' }, 'sender must be one of agency, admin'],
    [{ content: 'x', id: 7 }, 'id must be a non-empty string of at most 100 characters'],
    [{ content: 'x', id: '' }, 'id must be a non-empty string of at most 100 characters'],
    [{ content: 'x', timestamp: 'soon' }, 'timestamp must be an ISO 8601 date'],
    [{ content: 'x', timestamp: 8_640_000_000_000_000 }, 'timestamp must be between 1970 and 9999'],
    [{ content: 'x', timestamp: '+010000-01-01T00:00:00.000Z' }, 'timestamp must be between 1970 and 9999'],
    [{ content: 'x', timestamp: -1 }, 'timestamp must be between 1970 and 9999'],
  ])('refuses %j: %s', (frame, error) => {
    expect(parse(frame)).toEqual({ error });
  });
});
