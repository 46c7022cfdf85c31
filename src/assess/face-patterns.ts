/**
 * Name patterns that mark face analytics. Vendors do not follow naming (RULES.md), so we match
 * patterns, most specific first, and report which one matched. "face" must start a word or a
 * camelCase part: `Interface`, `Surface`, `SURFACE` must not match.
 */
export interface FacePattern {
  readonly id: string;
  readonly re: RegExp;
}

// Start of a word (non-letter before) or of a camelCase part (lowercase letter before an uppercase F).
const W = '(?:(?<![A-Za-z])|(?<=[a-z])(?=[F]))';

export const FACE_PATTERNS: readonly FacePattern[] = [
  { id: 'face-recognition', re: new RegExp(`${W}(?:Face|FACE|face)[_ -]?(?:Recogni[sz]\\w*|Compar\\w*|Contrast|Match\\w*|Lib\\w*|Verif\\w*)`) },
  { id: 'face-capture', re: new RegExp(`${W}(?:Face|FACE|face)[_ -]?(?:Snap\\w*|Capture\\w*|Pic\\w*)`) },
  // Published vendor face topics it covers: Reolink's `tns1:RuleEngine/MyRuleDetector/FaceDetect` (registered as
  // "Face Detection" by Home Assistant's ONVIF integration, homeassistant/components/onvif/parsers.py);
  // tests/onvif/event-topics.test.ts keeps the list.
  { id: 'face-detection', re: new RegExp(`${W}(?:Face|FACE|face)[_ -]?(?:Detect\\w*|Detection)`) },
  { id: 'human-face', re: /HumanFace|Human_Face|human[_ -]face/i },
  { id: 'face', re: new RegExp(`${W}(?:Face|FACE|face)(?![a-rt-z])`) },
  { id: 'face-zh', re: /人脸|面部|脸部/ },
  // "FD" (face detection) as a word or camelCase part: FD, FDRule, MyFD; not HDFD-like runs.
  { id: 'fd', re: /(?:(?<![A-Za-z])|(?<=[a-z]))FD(?![a-z])/ },
];

export interface PatternMatch {
  readonly id: string;
  /** The pattern as text, for the report (`/.../`). */
  readonly pattern: string;
}

export const matchFace = (name: string): PatternMatch | null => {
  for (const p of FACE_PATTERNS) if (p.re.test(name)) return { id: p.id, pattern: p.re.toString() };
  return null;
};
