/** Reports: pure renderers from records (string in, string out). */
export { ruleCatalog, type CitationText, type ReportContext, type ReportFormat, type RuleCatalog, type RuleText, type SignatureEntry, type SnapshotBytes } from './context.js';
export { inspectionDocument, renderInspection, renderInspectionHtml, renderInspectionJson, renderInspectionMarkdown } from './inspection-report.js';
export {
  deviceLabel,
  diffInspections,
  isCaptureGrade,
  strongestCapture,
  removalChecklistItem,
  removedDeviceKey,
  type CaptureState,
  type DeviceChange,
  type DeviceDiff,
  type DeviceState,
  type FindingVerdict,
  type RecheckDiff,
  type Verdict,
  type VerdictDetail,
  type VerdictReason,
} from '../assess/recheck.js';
export { verdictReasonText } from './recheck-report.js';
export { campaignRow, rectificationStatus, renderCampaign, type CampaignRow, type RectificationStatus } from './campaign.js';
export { csvField, escapeHtml, escapeMarkdown } from './text.js';
export { citationText, citationsText, yesNo } from './format.js';
