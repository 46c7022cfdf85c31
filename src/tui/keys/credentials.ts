/** Keys of the password screen and its form (typed passwords leave with the form). */
import type { CredentialTarget, Form, KeyPress, Update, VisitState } from '../visit-state.js';
import { deviceAddresses } from '../visit-state.js';
import { editForm, fieldValue, form, go, move } from './edit.js';

const credentialForm = (): Form => form([['cred.user', 'admin'], ['cred.password', '', 'masked']]);

export const onCredentials = (s: VisitState, key: KeyPress): Update => {
  const addresses = deviceAddresses(s);
  const moved = move(s, key, addresses.length);
  if (moved) return [moved, []];
  if (key.escape || key.input === 'q') return [go(s, s.record ? 'devices' : 'discover'), []];
  if (key.return && addresses[s.cursor]) return [{ ...s, screen: 'credential-form', form: credentialForm(), credentialScope: 0 }, []];
  // With no device at all, probing records that nothing answered and leads on to the checklist.
  if (key.input === 'p') {
    // Re-probe only what is not yet accepted; a first probe covers every device.
    const pending = addresses.filter((a) => s.auth[a]?.status !== 'ok');
    const targets = s.record ? pending : addresses;
    return [
      go(s, 'probe', { probing: true, probe: Object.fromEntries(targets.map((a) => [a, { calls: 0, lastAction: null, frame: 0, of: 0, state: 'waiting', error: null }])) }),
      [{ type: 'probe', addresses: targets }],
    ];
  }
  return [s, []];
};

/** The scope choices for the credential form, in order; the vendor one only when the vendor is known. */
export const credentialTargets = (s: VisitState): CredentialTarget[] => {
  const address = deviceAddresses(s)[s.cursor];
  if (address === undefined) return [];
  const vendor = s.auth[address]?.vendor;
  return [{ kind: 'device', address }, ...(vendor ? [{ kind: 'vendor' as const, vendor }] : []), { kind: 'all' }];
};

export const onCredentialForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  // The password never outlives the form: leaving it, either way, drops the typed text.
  if (key.escape) return [{ ...s, screen: 'credentials', form: null }, []];
  const targets = credentialTargets(s);
  if (key.leftArrow || key.rightArrow) {
    const step = key.rightArrow ? 1 : targets.length - 1;
    return [{ ...s, credentialScope: (s.credentialScope + step) % Math.max(1, targets.length) }, []];
  }
  if (key.return) {
    if (f.focus < f.fields.length - 1) return [{ ...s, form: { ...f, focus: f.focus + 1 } }, []];
    const target = targets[s.credentialScope] ?? targets[0];
    if (!target) return [s, []];
    const covered = deviceAddresses(s).filter(
      (a) => target.kind === 'all' || (target.kind === 'device' ? a === target.address : s.auth[a]?.vendor === target.vendor),
    );
    const auth = { ...s.auth };
    for (const a of covered) auth[a] = { status: 'set', vendor: s.auth[a]?.vendor ?? null };
    return [{ ...s, screen: 'credentials', form: null, auth }, [{ type: 'set-credential', target, username: fieldValue(f, 0), password: fieldValue(f, 1) }]];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited } : s, []];
};

