/** The `camaudit probe --json` shape, pure so the pipeline and reports reuse it. */
import { describeError } from '../core/errors.js';
import type { ConfigProbe } from '../core/types.js';

export const probeToJson = (p: ConfigProbe) => ({
  xaddr: p.xaddr,
  address: p.address,
  probedAt: p.probedAt,
  device: { ...p.device },
  services: p.services.map((s) => ({ ...s })),
  scopes: [...p.scopes],
  network: { macs: [...p.network.macs], addresses: [...p.network.addresses] },
  profiles: p.profiles.map((pr) => ({
    token: pr.token,
    name: pr.name,
    encoder: pr.encoder,
    width: pr.width,
    height: pr.height,
    rtsp: pr.rtsp,
    snapshot: pr.snapshot,
    analyticsToken: pr.analyticsToken,
  })),
  analytics: p.analytics.map((a) => ({ kind: a.kind, name: a.name, type: a.type, configToken: a.configToken, call: a.call ?? null })),
  eventTopics: [...p.eventTopics],
  vendor: p.vendor.map((v) => ({ vendor: v.vendor, values: { ...v.values } })),
  clockOffsetMs: p.clockOffsetMs,
  authenticated: p.authenticated,
  face: {
    supported: p.face.supported,
    enabled: p.face.enabled,
    reasons: p.face.reasons.map((r) => ({ source: r.source, name: r.name, pattern: r.pattern, bears: r.bears, call: r.call, ...(r.detail ? { detail: r.detail } : {}) })),
  },
  calls: p.calls.map((c) => ({ action: c.action, service: c.service, status: c.status, ms: c.ms, sha256: c.sha256, requestSha256: c.requestSha256 })),
  errors: p.errors.map((e) => ({ action: e.action, kind: e.error.kind, message: describeError(e.error) })),
});

export type ProbeJson = ReturnType<typeof probeToJson>;
