import { Box } from 'ink';
import { windowOf } from '../format.js';
import { Line } from './line.js';

export interface PickListProps {
  readonly rows: readonly string[];
  readonly cursor: number;
  readonly height: number;
  /** Index of the first row the cursor can reach; rows above it are headings. */
  readonly offset?: number;
}

/** A scrolling list with a visible cursor; only the rows that fit are drawn. */
export const PickList = ({ rows, cursor, height, offset = 0 }: PickListProps) => {
  const { start, end } = windowOf(rows.length, cursor + offset, height);
  return (
    <Box flexDirection="column">
      {rows.slice(start, end).map((text, i) => {
        const selected = start + i === cursor + offset;
        return (
          <Line key={start + i} inverse={selected} text={`${selected ? '›' : ' '} ${text}`} />
        );
      })}
    </Box>
  );
};
