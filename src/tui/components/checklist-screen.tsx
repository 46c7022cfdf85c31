import { Box, Text } from 'ink';
import { fitToWidth, t } from '../../i18n/index.js';
import { CHECKLIST_ITEMS } from '../../rules/checklist-items.js';
import type { VisitState } from '../state.js';
import { tt } from '../strings.js';
import { Line } from './line.js';
import { PickList } from './pick-list.js';

export interface ChecklistScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** The manual items of RULES.md; the selected one shows its note and photos below the list. */
export const ChecklistScreen = ({ state, height }: ChecklistScreenProps) => {
  const { lang } = state;
  const answered = CHECKLIST_ITEMS.filter((i) => state.answers[i.id]?.answer).length;
  const rows = CHECKLIST_ITEMS.map((item) => {
    const a = state.answers[item.id]?.answer;
    return `${fitToWidth(a ? t(lang, `answer.${a}`) : '·', 8)} ${item.question[lang]}`;
  });
  const current = CHECKLIST_ITEMS[state.cursor];
  const answer = current ? state.answers[current.id] : undefined;
  return (
    <Box flexDirection="column">
      <Text bold>{tt(lang, 'check.title', { answered, total: CHECKLIST_ITEMS.length })}</Text>
      <PickList rows={rows} cursor={state.cursor} height={height - 3} />
      <Line text={tt(lang, 'check.note', { note: answer?.note ?? '' })} />
      <Line text={tt(lang, 'check.photos', { photos: answer?.photos.join(', ') ?? '' })} />
    </Box>
  );
};
