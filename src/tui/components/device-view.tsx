import { Box, Text } from 'ink';
import { deviceRows, type DeviceFacts } from '../device-lines.js';
import { Line } from './line.js';

export interface DeviceViewProps extends DeviceFacts {
  readonly height: number;
  readonly scroll: number;
}

export const DeviceView = (props: DeviceViewProps) => {
  const rows = deviceRows(props);
  const start = Math.max(0, Math.min(props.scroll, rows.length - props.height));
  return (
    <Box flexDirection="column">
      {rows.slice(start, start + props.height).map((row, i) =>
        row.kind === 'text' ? (
          <Line key={start + i} bold={start + i === 0} text={row.text} />
        ) : (
          // Decoded for the terminal's size when probed; a window narrowed since cuts the picture, never wraps it.
          <Text key={start + i} wrap="truncate">
            {row.line}
          </Text>
        ),
      )}
    </Box>
  );
};
