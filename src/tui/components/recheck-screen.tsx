import { Box, Text } from 'ink';
import { verdictReasonText } from '../../report/index.js';
import { revealInvisible } from '../../report/text.js';
import { row } from '../format.js';
import type { VisitState } from '../state.js';
import { t } from '../../i18n/index.js';
import { PickList } from './pick-list.js';

export interface RecheckScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** Per device what changed, then a verdict for each earlier finding. */
export const RecheckScreen = ({ state, height }: RecheckScreenProps) => {
  const { lang, diff } = state;
  if (!diff) return null;
  const rows = [
    `— ${t(lang, 'diff.devices')}`,
    ...diff.devices.map((d) => row([[(d.after ?? d.before)?.address ?? d.key, 16], [(d.after ?? d.before)?.label ?? '', 22], [t(lang, `diff.change.${d.change}`), 36]])),
    `— ${t(lang, 'diff.verdicts')}`,
    ...diff.verdicts.map((v) => row([[t(lang, `verdict.${v.verdict}`), 14], [v.finding.ruleId, 18], [v.finding.observation[lang], 44]])),
  ];
  // The verdict under the cursor, in full: which finding, and what the re-check rests on.
  const selected = diff.verdicts[state.cursor - diff.devices.length - 2];
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'diff.title', { previous: state.previous?.caseNumber ?? diff.previousInspectionId, date: state.previous?.startedAt.slice(0, 10) ?? '' })}</Text>
      <PickList rows={rows} cursor={state.cursor} height={height - 5} />
      {selected ? (
        <Box flexDirection="column" borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false}>
          <Text wrap="wrap">{revealInvisible(selected.finding.observation[lang])}</Text>
          <Text wrap="wrap">{`${t(lang, `verdict.${selected.verdict}`)}: ${verdictReasonText(lang, selected)}`}</Text>
        </Box>
      ) : null}
    </Box>
  );
};
