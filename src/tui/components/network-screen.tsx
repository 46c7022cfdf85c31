import { Box, Text } from 'ink';
import type { VisitState } from '../state.js';
import { t } from '../../i18n/index.js';
import { PickList } from './pick-list.js';

export interface NetworkScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

export const NetworkScreen = ({ state, height }: NetworkScreenProps) => {
  const { lang } = state;
  const rows = state.interfaces.map((i) => `${i.name}  ${i.address}  (${i.cidr})`);
  const sweep = state.sweep === '' && !state.editingSweep ? t(lang, 'net.sweepNone') : state.sweep;
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'net.title')}</Text>
      {rows.length === 0 ? <Text color="red">{t(lang, 'net.none')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 3} />}
      <Text color={state.editingSweep ? 'cyan' : undefined}>
        {t(lang, 'net.sweep', { sweep })}
        {state.editingSweep ? <Text inverse> </Text> : null}
      </Text>
    </Box>
  );
};
