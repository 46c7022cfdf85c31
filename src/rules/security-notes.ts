/** Access-control facts that feed FR-SECURITY. A note is `code` or `code: detail`. */
export const SECURITY_NOTE_CODES = ['anonymous-onvif', 'anonymous-rtsp', 'anonymous-snapshot', 'default-credentials', 'no-tls'] as const;
export type SecurityNoteCode = (typeof SECURITY_NOTE_CODES)[number];

export const securityNote = (code: SecurityNoteCode, detail?: string): string => (detail ? `${code}: ${detail}` : code);

export const noteCode = (note: string): string => note.split(':', 1)[0]?.trim() ?? note;

/** Default or anonymous access lets anyone take the faces: rated higher than a missing TLS. */
export const highRiskCodes: readonly string[] = ['anonymous-rtsp', 'anonymous-snapshot', 'default-credentials'];
