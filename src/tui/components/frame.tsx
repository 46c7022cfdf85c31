import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Lang } from '../../core/record.js';
import { STEPS } from '../format.js';
import { t, type MessageKey } from '../../i18n/index.js';
import { Line } from './line.js';

export interface FrameProps {
  readonly lang: Lang;
  readonly step: MessageKey;
  readonly error: string | null;
  readonly help: readonly MessageKey[];
  /** Terminal rows to fill, so the help line sits on the last one. */
  readonly rows: number;
  readonly children: ReactNode;
}

/** Title and step bar on top, the screen, then the error (if any) and the help line, always last. */
export const Frame = ({ lang, step, error, help, rows, children }: FrameProps) => (
  <Box flexDirection="column" height={rows}>
    <Text bold>{t(lang, 'app.title')}</Text>
    <Text wrap="truncate-end">
      {STEPS.map((s) => (
        <Text key={s} inverse={s === step} dimColor={s !== step}>
          {` ${t(lang, s)} `}
        </Text>
      ))}
    </Text>
    <Box flexDirection="column" flexGrow={1} marginTop={1}>
      {children}
    </Box>
    {error !== null ? <Line color="red" text={t(lang, 'app.error', { message: error })} /> : null}
    <Line dimColor text={help.map((k) => t(lang, k)).join('  ')} />
  </Box>
);
