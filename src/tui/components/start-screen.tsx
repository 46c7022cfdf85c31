import { Box, Text } from 'ink';
import type { VisitState } from '../state.js';
import { tt } from '../strings.js';
import { PickList } from './pick-list.js';

export interface StartScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** Unfinished inspections first (resume), then the sites matching the search. */
export const StartScreen = ({ state, height }: StartScreenProps) => {
  const { lang } = state;
  const rows = [
    ...state.unfinished.map((u) => tt(lang, 'start.resumeRow', { caseNumber: u.caseNumber, site: u.siteName, startedAt: u.startedAt.slice(0, 16) })),
    ...state.sites.map((s) => [s.name, s.district, s.address].filter((x) => x !== '').join(' · ')),
  ];
  return (
    <Box flexDirection="column">
      {state.unfinished.length > 0 ? <Text color="yellow">{tt(lang, 'start.resume')}</Text> : null}
      <Text color={state.searching ? 'cyan' : undefined}>
        {tt(lang, 'start.search', { search: state.search })}
        {state.searching ? <Text inverse> </Text> : null}
      </Text>
      {rows.length === 0 ? <Text>{tt(lang, 'start.noSites')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 2} />}
    </Box>
  );
};
