import { Box, Text } from 'ink';
import { fitToWidth, t } from '../../i18n/index.js';
import { checklistRows, type VisitState } from '../state.js';
import { Line } from './line.js';
import { PickList } from './pick-list.js';

export interface ChecklistScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** The manual items of RULES.md; the selected one shows its note and photos below the list. */
export const ChecklistScreen = ({ state, height }: ChecklistScreenProps) => {
  const { lang } = state;
  const items = checklistRows(state);
  const answered = items.filter((i) => state.answers[i.id]?.answer).length;
  const rows = items.map((item) => {
    const a = state.answers[item.id]?.answer;
    return `${fitToWidth(a ? t(lang, `answer.${a}`) : '·', 8)} ${item.question[lang]}`;
  });
  const current = items[state.cursor];
  const answer = current ? state.answers[current.id] : undefined;
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'check.title', { answered, total: items.length })}</Text>
      <PickList rows={rows} cursor={state.cursor} height={height - 3} />
      <Line text={t(lang, 'check.note', { note: answer?.note ?? '' })} />
      <Line text={t(lang, 'check.photos', { photos: answer?.photos.join(', ') ?? '' })} />
    </Box>
  );
};
