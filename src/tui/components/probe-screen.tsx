import { Box, Text } from 'ink';
import { bar, row, windowOf } from '../format.js';
import type { DeviceProgress, VisitState } from '../state.js';
import { t } from '../../i18n/index.js';
import { Line } from './line.js';

export interface ProbeScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

const statusText = (state: VisitState, p: DeviceProgress): string => {
  const { lang } = state;
  if (p.state === 'failed') return t(lang, 'probe.failed', { error: p.error ?? '' });
  if (p.state === 'done') return t(lang, 'probe.done');
  if (p.state === 'waiting') return t(lang, 'probe.waiting');
  const frames = p.of > 0 ? `${bar(p.frame / p.of, 10)} ${t(lang, 'probe.frames', { frame: p.frame, of: p.of })}` : (p.lastAction ?? '');
  return `${t(lang, 'probe.calls', { n: p.calls })} · ${frames}`;
};

const RANK: Readonly<Record<DeviceProgress['state'], number>> = { running: 0, waiting: 1, failed: 2, done: 3 };

/** One line per device: config calls so far, then the stream test's frames. */
export const ProbeScreen = ({ state, height }: ProbeScreenProps) => {
  // Devices in progress first, so a long list still shows what is moving.
  const entries = Object.entries(state.probe).sort(([, a], [, b]) => RANK[a.state] - RANK[b.state]);
  const done = entries.filter(([, p]) => p.state === 'done' || p.state === 'failed').length;
  const { start, end } = windowOf(entries.length, 0, height - 2);
  return (
    <Box flexDirection="column">
      <Text bold>{t(state.lang, 'probe.title', { n: entries.length })}</Text>
      <Text>{`${bar(entries.length ? done / entries.length : 0, 30)} ${done}/${entries.length}`}</Text>
      {entries.slice(start, end).map(([address, p]) => (
        <Line key={address} text={row([[address, 16], [statusText(state, p), 60]])} {...(p.state === 'failed' ? { color: 'red' } : {})} />
      ))}
      {!state.probing && entries.length > 0 ? <Text dimColor>{t(state.lang, 'probe.saving')}</Text> : null}
    </Box>
  );
};
