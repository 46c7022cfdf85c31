import { Box, Text } from 'ink';
import { t } from '../../i18n/index.js';
import { citationsText } from '../../report/format.js';
import { revealInvisible } from '../../report/text.js';
import { RULES } from '../../rules/catalog.js';
import { ROLE_LABEL, type VisitState } from '../state.js';
import { SIGNATURE_ROLES, type SignatureRole } from '../../visit/rules.js';
import { PickList } from './pick-list.js';

const isRole = (role: string): role is SignatureRole => SIGNATURE_ROLES.some((r) => r === role);

export interface FinishScreenProps {
  readonly state: VisitState;
  readonly height: number;
}

/** Findings with the provisions they bear on, then where the report and bundle were written. */
export const FinishScreen = ({ state, height }: FinishScreenProps) => {
  const { lang, record } = state;
  if (!state.concluded || !record) return <Text>{t(lang, 'fin.working')}</Text>;
  const rows = record.findings.map((f) => `[${t(lang, `severity.${f.severity}`)}] ${f.ruleId} ${f.observation[lang]}`);
  const selected = record.findings[state.cursor];
  const outputs = [
    ...state.reportPaths.map((path) => t(lang, 'fin.report', { path })),
    ...(state.bundlePath ? [t(lang, 'fin.bundle', { path: state.bundlePath })] : []),
    ...state.signatures.map((s) =>
      t(lang, 'fin.signature', {
        name: s.name,
        role: isRole(s.role) ? t(lang, ROLE_LABEL[s.role]) : s.role,
        status: t(lang, s.status === 'signed' ? 'signature.status.signed' : 'signature.status.refused'),
      }),
    ),
  ];
  return (
    <Box flexDirection="column">
      <Text bold>{t(lang, 'fin.title', { n: rows.length })}</Text>
      {rows.length === 0 ? <Text>{t(lang, 'findings.none')}</Text> : <PickList rows={rows} cursor={state.cursor} height={height - 7 - outputs.length} />}
      {selected ? (
        <Box flexDirection="column" borderStyle="single" borderTop borderBottom={false} borderLeft={false} borderRight={false}>
          <Text wrap="wrap">{revealInvisible(selected.observation[lang])}</Text>
          <Text wrap="wrap">{t(lang, 'fin.cites', { cites: citationsText(lang, RULES.find((r) => r.id === selected.ruleId)) })}</Text>
        </Box>
      ) : null}
      {outputs.map((line) => (
        <Text key={line} color="green" wrap="truncate-start">
          {line}
        </Text>
      ))}
    </Box>
  );
};
