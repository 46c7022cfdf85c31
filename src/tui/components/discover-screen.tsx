import { Box, Text } from 'ink';
import { bar, row, scopeName, seconds } from '../format.js';
import type { VisitState } from '../state.js';
import { t } from '../../i18n/index.js';
import { PickList } from './pick-list.js';

export interface DiscoverScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** Devices appear as they answer; the bar follows the sweep when there is one, else it runs. */
export const DiscoverScreen = ({ state, height }: DiscoverScreenProps) => {
  const { lang, discoverProgress: p } = state;
  const fraction = !state.discovering ? 1 : p && p.planned > 0 ? p.sent / p.planned : (state.discoverMs % 5000) / 5000;
  const rows = state.discovered.map((d) => row([[d.address, 16], [d.via, 12], [scopeName(d.scopes), 40]]));
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'disc.title')}</Text>
      <Text>
        {bar(fraction, 30)} {t(lang, 'disc.elapsed', { s: seconds(state.discoverMs) })} · {t(lang, 'disc.found', { n: state.discovered.length })}
      </Text>
      {rows.length === 0 ? <Text dimColor>{t(lang, 'disc.none')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 3} />}
      {!state.discovering ? <Text color="green">{t(lang, 'disc.done', { s: seconds(state.discoverMs) })}</Text> : null}
    </Box>
  );
};
