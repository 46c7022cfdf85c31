import { Box, Text } from 'ink';
import type { VisitState } from '../state.js';
import { t } from '../../i18n/index.js';
import { PickList } from './pick-list.js';

export interface StartScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** Unfinished inspections first (resume), then the sites matching the search. */
export const StartScreen = ({ state, height }: StartScreenProps) => {
  const { lang } = state;
  const rows = [
    ...state.unfinished.map((u) => t(lang, 'start.resumeRow', { caseNumber: u.caseNumber, site: u.siteName, startedAt: u.startedAt.slice(0, 16) })),
    ...state.sites.map((s) => [s.name, s.district, s.address].filter((x) => x !== '').join(' · ')),
  ];
  return (
    <Box flexDirection="column">
      {state.unfinished.length > 0 ? <Text color="yellow">{t(lang, 'start.resume')}</Text> : null}
      <Text color={state.searching ? 'cyan' : undefined}>
        {t(lang, 'start.search', { search: state.search })}
        {state.searching ? <Text inverse> </Text> : null}
      </Text>
      {rows.length === 0 ? <Text>{t(lang, 'start.noSites')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 2} />}
    </Box>
  );
};
