import { Box } from 'ink';
import { deviceLines, type DeviceFacts } from '../device-lines.js';
import { Line } from './line.js';

export interface DeviceViewProps extends DeviceFacts {
  readonly height: number;
  readonly scroll: number;
}

export const DeviceView = (props: DeviceViewProps) => {
  const lines = deviceLines(props);
  const start = Math.max(0, Math.min(props.scroll, lines.length - props.height));
  return (
    <Box flexDirection="column">
      {lines.slice(start, start + props.height).map((line, i) => (
        <Line key={start + i} bold={start + i === 0} text={line} />
      ))}
    </Box>
  );
};
