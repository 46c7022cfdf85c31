import { Box, Text } from 'ink';
import { t } from '../../i18n/index.js';
import { strongestCapture } from '../../assess/recheck.js';
import { addressLabels } from '../../report/device-address.js';
import { yesNo } from '../../report/format.js';
import { terminalLine } from '../../report/text.js';
import { row } from '../format.js';
import { latestDevices, type VisitState } from '../state.js';
import { PickList } from './pick-list.js';

export interface DevicesTableProps {
  readonly state: VisitState;
  readonly height: number;
}

// 80 columns in all; the address fits a LAN address with its port (`192.168.1.64:8080`), shown where addresses repeat.
const WIDTHS = [11, 12, 17, 8, 7, 12, 5] as const;

/** Vendor, model, address, face supported/enabled, capture grade, findings: one row per device. */
export const DevicesTable = ({ state, height }: DevicesTableProps) => {
  const { lang, record } = state;
  const devices = latestDevices(record);
  const header = row(
    (['col.vendor', 'col.model', 'field.address', 'dev.supported', 'dev.enabled', 'dev.capture', 'dev.findings'] as const).map((k, i) => [t(lang, k), WIDTHS[i] ?? 8]),
  );
  const addresses = addressLabels(devices);
  const rows = devices.map((d) => {
    const capture = strongestCapture(d);
    const cells = [
      d.identity.manufacturer ?? '',
      d.identity.model ?? '',
      addresses.get(d.key) ?? d.address,
      yesNo(lang, d.face.supported),
      yesNo(lang, d.face.enabled),
      capture ? t(lang, `grade.${capture.grade}`) : '-',
      String(record?.findings.filter((f) => f.deviceKey === d.key).length ?? 0),
    ];
    // Markers before fitting: a device's control characters take the columns their markers show in.
    return row(cells.map((c, i) => [terminalLine(c), WIDTHS[i] ?? 8]));
  });
  const wrong = Object.values(state.auth).filter((a) => a.status === 'wrong').length;
  const needed = Object.values(state.auth).filter((a) => a.status === 'needed').length;
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'dev.title', { n: devices.length })}</Text>
      {wrong > 0 ? <Text color="red" bold>{t(lang, 'dev.authWarning', { n: wrong })}</Text> : null}
      {needed > 0 ? <Text color="yellow">{t(lang, 'dev.authNeeded', { n: needed })}</Text> : null}
      <Text dimColor>{`  ${header}`}</Text>
      {rows.length === 0 ? <Text>{t(lang, 'dev.none')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 4} />}
    </Box>
  );
};
