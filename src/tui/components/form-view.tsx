import { Box, Text } from 'ink';
import type { Lang } from '../../core/record.js';
import { fitToWidth, t } from '../../i18n/index.js';
import type { Form } from '../state.js';
import { Line } from './line.js';

export interface FormViewProps {
  readonly lang: Lang;
  readonly title: string;
  readonly form: Form;
  readonly footer?: string;
}

/** Labelled fields; the focused one shows a cursor, masked ones show only bullets, choices show ‹the chosen one›. */
export const FormView = ({ lang, title, form, footer }: FormViewProps) => (
  <Box flexDirection="column">
    <Line bold text={title} />
    {form.fields.map((f, i) => {
      const chosen = f.choices?.find((c) => c.value === f.value);
      const shown = chosen ? `‹ ${t(lang, chosen.label)} ›` : f.masked ? '•'.repeat([...f.value].length) : f.value;
      const focused = i === form.focus;
      return (
        <Text key={f.label} wrap="truncate-start">
          <Text color={focused ? 'cyan' : undefined}>{`${focused ? '›' : ' '} ${fitToWidth(t(lang, f.label), 30)} `}</Text>
          <Text underline={focused}>{shown}</Text>
          {focused && !chosen ? <Text inverse> </Text> : null}
        </Text>
      );
    })}
    {footer ? <Text>{footer}</Text> : null}
  </Box>
);
