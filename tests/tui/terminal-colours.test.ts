import { describe, expect, it } from 'vitest';
import { colourModeOf } from '../../src/tui/terminal-colours.js';

describe('terminal colours', () => {
  it('takes COLORTERM=truecolor or 24bit as 24-bit colour, whatever TERM says', () => {
    expect(colourModeOf({ COLORTERM: 'truecolor' })).toBe('truecolor');
    expect(colourModeOf({ COLORTERM: '24bit' })).toBe('truecolor');
    expect(colourModeOf({ COLORTERM: 'truecolor', TERM: 'xterm-256color' })).toBe('truecolor');
    expect(colourModeOf({ COLORTERM: '24bit', TERM: 'xterm' })).toBe('truecolor');
  });

  it('takes a TERM naming 256 colours as the xterm palette', () => {
    expect(colourModeOf({ TERM: 'xterm-256color' })).toBe('256');
    expect(colourModeOf({ TERM: 'tmux-256color' })).toBe('256');
    expect(colourModeOf({ TERM: 'screen-256color', COLORTERM: 'yes' })).toBe('256');
  });

  it('draws no pictures otherwise: the path line is the fallback', () => {
    expect(colourModeOf({})).toBeNull();
    expect(colourModeOf({ TERM: 'xterm' })).toBeNull();
    expect(colourModeOf({ TERM: 'dumb' })).toBeNull();
    expect(colourModeOf({ TERM: 'linux', COLORTERM: '' })).toBeNull();
  });

  it('honours NO_COLOR (any non-empty value), and ignores an empty one', () => {
    expect(colourModeOf({ NO_COLOR: '1', COLORTERM: 'truecolor' })).toBeNull();
    expect(colourModeOf({ NO_COLOR: '1', TERM: 'xterm-256color' })).toBeNull();
    expect(colourModeOf({ NO_COLOR: '', TERM: 'xterm-256color' })).toBe('256');
  });
});
