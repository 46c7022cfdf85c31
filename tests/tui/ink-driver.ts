/** Drives an ink-testing-library render as a person would: keys one at a time, waiting for what the screen shows. */
import type { render } from 'ink-testing-library';

export interface InkDriver {
  readonly frame: () => string;
  /** Waits until the screen shows `text` (pipeline work is asynchronous), failing with the screen. */
  readonly until: (text: string | RegExp, timeoutMs?: number) => Promise<string>;
  /** Keys one at a time, as a person types: ink reads one chunk per input event. */
  readonly press: (...keys: string[]) => Promise<void>;
}

export const inkDriver = (ui: ReturnType<typeof render>, defaultTimeoutMs = 3000): InkDriver => {
  const frame = (): string => ui.lastFrame() ?? '';
  return {
    frame,
    until: async (text, timeoutMs = defaultTimeoutMs) => {
      const t0 = Date.now();
      for (;;) {
        const f = frame();
        if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
        if (Date.now() - t0 > timeoutMs) throw new Error(`screen never showed ${String(text)}:\n${f}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    press: async (...keys) => {
      for (const k of keys) {
        ui.stdin.write(k);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
};
