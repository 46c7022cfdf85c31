import { Text, useStdout } from 'ink';
import { truncateToWidth } from '../../i18n/index.js';
import { terminalLine } from '../../report/text.js';

export interface LineProps {
  readonly text: string;
  readonly inverse?: boolean;
  readonly bold?: boolean;
  readonly dimColor?: boolean;
  readonly color?: string;
}

/**
 * One line cut to the terminal's width by display columns: ink's own truncation counts a CJK
 * character's two columns late and can overflow an 80-column terminal by one. Device strings are
 * hostile: control characters (escape sequences that would drive the terminal) are shown as markers.
 */
export const Line = ({ text, ...style }: LineProps) => {
  const { stdout } = useStdout();
  return <Text {...style}>{truncateToWidth(terminalLine(text), stdout.columns ?? 80)}</Text>;
};
