import { Box, Text } from 'ink';
import type { Lang } from '../../core/record.js';
import { fitToWidth, t } from '../../i18n/index.js';
import { Line } from '../components/line.js';
import type { DemoPhase, DemoRow, DemoState } from './demo-state.js';

const PHASES: readonly DemoPhase[] = ['first', 'rectifying', 'recheck', 'reports'];

const PHASE_TEXT: Readonly<Record<Lang, Readonly<Record<DemoPhase, string>>>> = {
  'zh-CN': { starting: '启动模拟售楼处', first: '首次检查', rectifying: '模拟整改', recheck: '整改后复查', reports: '写出检查笔录', done: '完成' },
  en: { starting: 'starting the simulated office', first: 'first inspection', rectifying: 'rectification', recheck: 're-check', reports: 'writing the records', done: 'done' },
};

const HEAD: Readonly<Record<Lang, readonly [string, string, string, string, string]>> = {
  'zh-CN': ['设备', '地址', '支持人脸', '已启用', '画面'],
  en: ['device', 'address', 'face', 'enabled', 'picture'],
};

const yn = (lang: Lang, v: boolean | null): string => (v === null ? '?' : v ? (lang === 'zh-CN' ? '是' : 'yes') : lang === 'zh-CN' ? '否' : 'no');

const row = (cells: readonly string[]): string =>
  [fitToWidth(cells[0] ?? '', 30), fitToWidth(cells[1] ?? '', 22), fitToWidth(cells[2] ?? '', 9), fitToWidth(cells[3] ?? '', 7), cells[4] ?? ''].join(' ');

const deviceRow = (lang: Lang, r: DemoRow): string =>
  row([r.label, r.xaddr.replace(/^https?:\/\//, '').replace(/\/.*$/, ''), yn(lang, r.faceSupported), yn(lang, r.faceEnabled), r.grade === null ? '…' : t(lang, `grade.${r.grade}`)]);

export interface DemoViewProps {
  readonly lang: Lang;
  readonly state: DemoState;
}

/** The demo, calmly: where it is, what each camera showed, and at the end where the records are. */
export const DemoView = ({ lang, state }: DemoViewProps) => (
  <Box flexDirection="column">
    <Text bold>{t(lang, 'app.title')} · {lang === 'zh-CN' ? '演示（虚构售楼处）' : 'demo (fictional sales office)'}</Text>
    <Text>
      {PHASES.map((p) => (
        <Text key={p} inverse={p === state.phase} dimColor={p !== state.phase}>{` ${PHASE_TEXT[lang][p]} `}</Text>
      ))}
    </Text>
    <Box flexDirection="column" marginTop={1}>
      <Line bold text={row(HEAD[lang])} />
      {state.rows.map((r) => (
        <Line key={r.xaddr} text={deviceRow(lang, r)} />
      ))}
    </Box>
    <Box marginTop={1} flexDirection="column">
      {state.findings !== null ? <Line text={lang === 'zh-CN' ? `发现问题 ${state.findings} 项` : `${state.findings} finding(s)`} /> : null}
      {state.files.map((f) => (
        <Line key={f} dimColor text={f} />
      ))}
      {state.phase !== 'done' ? <Line dimColor text={state.lastLine} /> : null}
    </Box>
  </Box>
);
