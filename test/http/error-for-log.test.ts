import { describe, expect, it } from 'vitest';
import { errorForLog } from '../../src/http/app.js';

describe('logging an unexpected error', () => {
  it('keeps its class, code and stack frames but never its message, which may quote patient data or a token', () => {
    const error = Object.assign(new TypeError('cannot read "Jens Hansen" 0101709999 Bearer abc.def.ghi'), { code: 'E_TEST' });
    const logged = errorForLog(error);
    expect(logged.name).toBe('TypeError');
    expect(logged.code).toBe('E_TEST');
    expect(logged.frames.length).toBeGreaterThan(0);
    expect(logged.frames.every((f) => f.startsWith('at '))).toBe(true);
    expect(JSON.stringify(logged)).not.toMatch(/Jens|0101709999|Bearer|abc\.def/);
  });

  it('copes with things thrown that are not errors', () => {
    expect(errorForLog('a string with a name in it')).toEqual({ name: 'string', frames: [] });
    expect(errorForLog(null)).toEqual({ name: 'object', frames: [] });
  });
});
