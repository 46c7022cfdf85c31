import { useApp, useInput, useStdout } from 'ink';
import type { Lang } from '../core/record.js';
import { ChecklistScreen } from './components/checklist-screen.js';
import { CredentialsScreen } from './components/credentials-screen.js';
import { DeviceView } from './components/device-view.js';
import { DevicesTable } from './components/devices-table.js';
import { DiscoverScreen } from './components/discover-screen.js';
import { FinishScreen } from './components/finish-screen.js';
import { FormView } from './components/form-view.js';
import { Frame } from './components/frame.js';
import { NetworkScreen } from './components/network-screen.js';
import { ProbeScreen } from './components/probe-screen.js';
import { RecheckScreen } from './components/recheck-screen.js';
import { StartScreen } from './components/start-screen.js';
import type { Visit } from './controller.js';
import { helpKeys, stepOf } from './format.js';
import { checklistRows, credentialTargets, initialState, latestDevices, type VisitState } from './state.js';
import { t } from '../i18n/index.js';
import type { ColourMode } from './terminal-colours.js';
import { useVisit } from './use-visit.js';

export interface AppProps {
  readonly visit: Visit;
  readonly lang: Lang;
  /** What the terminal draws (src/tui/terminal-colours.ts); without it, snapshots show as paths only. */
  readonly colours?: ColourMode | null;
}

/**
 * Rows taken by the frame: title, step bar, margin, error, help line, and the last row, left free
 * because ink redraws the whole screen (flickering) once its output reaches the terminal's height.
 */
const FRAME_ROWS = 6;

const formTitle = (s: VisitState): string => {
  const { lang } = s;
  switch (s.screen) {
    case 'site-form':
      return t(lang, 'site.title');
    case 'case-form':
      return `${t(lang, 'case.title', { site: s.site?.name ?? '' })} · ${s.previous ? t(lang, 'case.kindRecheck', { previous: s.previous.caseNumber }) : t(lang, 'kind.first')}`;
    case 'credential-form': {
      const first = credentialTargets(s)[0];
      return t(lang, 'cred.formTitle', { device: first?.kind === 'device' ? first.address : '' });
    }
    case 'sign-form':
      return t(lang, 'sign.title');
    default:
      return checklistRows(s).find((i) => i.id === s.editing?.item)?.question[lang] ?? '';
  }
};

const Screen = ({ state, height }: { readonly state: VisitState; readonly height: number }) => {
  const { lang } = state;
  switch (state.screen) {
    case 'start':
      return <StartScreen state={state} height={height} />;
    case 'network':
      return <NetworkScreen state={state} height={height} />;
    case 'discover':
      return <DiscoverScreen state={state} height={height} />;
    case 'credentials':
      return <CredentialsScreen state={state} height={height} />;
    case 'probe':
      return <ProbeScreen state={state} height={height} />;
    case 'devices':
      return <DevicesTable state={state} height={height} />;
    case 'device': {
      const device = latestDevices(state.record)[state.deviceIndex];
      if (!device) return null;
      const evidence = state.record?.evidence ?? [];
      return (
        <DeviceView lang={lang} device={device} evidence={evidence} snapshots={state.snapshots[device.key] ?? []} colours={state.colours} height={height} scroll={state.cursor} />
      );
    }
    case 'checklist':
      return <ChecklistScreen state={state} height={height} />;
    case 'finish':
      return <FinishScreen state={state} height={height} />;
    case 'recheck':
      return <RecheckScreen state={state} height={height} />;
    case 'site-form':
    case 'case-form':
    case 'credential-form':
    case 'sign-form':
    case 'text-form': {
      if (!state.form) return null;
      const target = credentialTargets(state)[state.credentialScope];
      const scope =
        state.screen === 'credential-form' && target
          ? t(lang, 'cred.scope', {
              scope: target.kind === 'all' ? t(lang, 'cred.scope.all') : target.kind === 'vendor' ? t(lang, 'cred.scope.vendor', { vendor: target.vendor }) : t(lang, 'cred.scope.device'),
            })
          : undefined;
      return <FormView lang={lang} title={formTitle(state)} form={state.form} {...(scope ? { footer: scope } : {})} />;
    }
  }
};

/** The whole visit on one screen: the frame, the current step's screen, and keys to the reducer. */
export const App = ({ visit, lang, colours = null }: AppProps) => {
  const { exit } = useApp();
  const [state, dispatch] = useVisit(visit, initialState(lang, colours), exit);
  const { stdout } = useStdout();
  useInput((input, key) => dispatch({ type: 'key', key: { ...key, input } }));
  const rows = stdout.rows ?? 24;
  const height = Math.max(6, rows - FRAME_ROWS);
  const error = state.error === null ? null : 'key' in state.error ? t(state.lang, state.error.key) : state.error.text;
  return (
    <Frame lang={state.lang} step={stepOf(state.screen)} error={error} help={helpKeys(state)} rows={rows - 1}>
      <Screen state={state} height={height} />
    </Frame>
  );
};
