import { Box, Text } from 'ink';
import { row, scopeName } from '../format.js';
import { deviceAddresses, type AuthStatus, type VisitState } from '../state.js';
import { t, type MessageKey } from '../../i18n/index.js';
import { PickList } from './pick-list.js';

export interface CredentialsScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

const STATUS: Readonly<Record<AuthStatus, MessageKey>> = {
  unknown: 'cred.status.unknown',
  set: 'cred.status.set',
  needed: 'cred.status.needed',
  wrong: 'cred.status.wrong',
  ok: 'cred.status.ok',
};

export const CredentialsScreen = ({ state, height }: CredentialsScreenProps) => {
  const { lang } = state;
  const rows = deviceAddresses(state).map((a) => {
    const auth = state.auth[a];
    const found = state.discovered.find((d) => d.address === a);
    return row([[a, 16], [auth?.vendor ?? scopeName(found?.scopes ?? []), 24], [t(lang, STATUS[auth?.status ?? 'unknown']), 30]]);
  });
  const wrong = Object.values(state.auth).filter((a) => a.status === 'wrong').length;
  const needed = Object.values(state.auth).filter((a) => a.status === 'needed').length;
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'cred.title')}</Text>
      <Text dimColor wrap="wrap">{t(lang, 'cred.hint')}</Text>
      {wrong > 0 ? <Text color="red" bold>{t(lang, 'dev.authWarning', { n: wrong })}</Text> : null}
      {needed > 0 ? <Text color="yellow">{t(lang, 'dev.authNeeded', { n: needed })}</Text> : null}
      <PickList rows={rows} cursor={state.cursor} height={height - 4} />
    </Box>
  );
};
