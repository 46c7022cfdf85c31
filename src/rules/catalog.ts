/**
 * Every rule of /work/shared/RULES.md: what a finding cites. Wording is paraphrased there and here;
 * `mark` keeps RULES.md's verification state (✔ checked against a published copy, ◐ content checked
 * but article or wording from a secondary source, ✘ not verified) so a report never overstates it.
 */
import type { Channel, Localized, Severity } from '../core/record.js';

export type VerificationMark = '✔' | '◐' | '✘';

export interface Citation {
  /** Short name of the instrument, as RULES.md abbreviates it. */
  readonly law: Localized;
  readonly article: string;
  readonly mark: VerificationMark;
}

export interface Rule {
  readonly id: string;
  readonly title: Localized;
  readonly text: Localized;
  readonly citations: readonly Citation[];
  readonly channels: readonly Channel[];
  readonly severity: Severity;
}

const PIPL: Localized = { 'zh-CN': '个人信息保护法', en: 'PIPL' };
const BANFA: Localized = { 'zh-CN': '人脸识别技术应用安全管理办法', en: 'Face Recognition Security Measures (办法)' };
const GUIDING: Localized = { 'zh-CN': '最高人民法院人脸识别司法解释', en: 'SPC Provisions on face recognition cases (规定)' };
const CIVIL: Localized = { 'zh-CN': '民法典', en: 'Civil Code' };
const CONSUMER: Localized = { 'zh-CN': '消费者权益保护法', en: 'Consumer Rights Protection Law' };
const CONSUMER_REG: Localized = { 'zh-CN': '消费者权益保护法实施条例', en: 'Consumer Rights Protection Law Implementing Regulations' };
const GBT35273: Localized = { 'zh-CN': 'GB/T 35273-2020 个人信息安全规范', en: 'GB/T 35273-2020 (voluntary)' };
const GBT41819: Localized = { 'zh-CN': 'GB/T 41819-2022 人脸识别数据安全要求', en: 'GB/T 41819-2022' };

const cite = (law: Localized, article: string, mark: VerificationMark): Citation => ({ law, article, mark });

export const RULES: readonly Rule[] = [
  {
    id: 'FR-FACE-PROC',
    title: { 'zh-CN': '处理人脸信息（敏感个人信息）', en: 'Processing of facial data (sensitive personal information)' },
    text: {
      'zh-CN': '生物识别信息属于敏感个人信息，只有在具有特定目的和充分必要性并采取严格保护措施的情形下方可处理。',
      en: 'Biometric data is sensitive personal information; it may be processed only for a specific purpose, with sufficient necessity and strict safeguards.',
    },
    citations: [cite(PIPL, '28', '✔'), cite(CIVIL, '1034', '✔')],
    channels: ['ANA', 'DEV', 'STR'],
    severity: 'high',
  },
  {
    id: 'FR-CONSENT',
    title: { 'zh-CN': '未取得单独同意', en: 'No separate consent' },
    text: {
      'zh-CN': '处理敏感个人信息应取得个人的单独同意；无感抓拍发生在任何同意环节之前。',
      en: 'Processing sensitive personal information needs the person\'s separate consent; capture at the entrance happens before any consent step.',
    },
    citations: [cite(PIPL, '13', '✔'), cite(PIPL, '14', '✔'), cite(PIPL, '29', '✔'), cite(GUIDING, '2(3)', '✔'), cite(CONSUMER, '29', '✔')],
    channels: ['STR', 'MAN'],
    severity: 'high',
  },
  {
    id: 'FR-BUNDLED',
    title: { 'zh-CN': '捆绑或强迫同意', en: 'Bundled or coerced consent' },
    text: {
      'zh-CN': '以人脸识别作为提供服务的条件、捆绑或强迫取得的同意无效。',
      en: 'Consent demanded as a condition of service, bundled with other terms or coerced, is invalid.',
    },
    citations: [cite(GUIDING, '4', '◐'), cite(CONSUMER_REG, '23', '✔')],
    channels: ['MAN'],
    severity: 'high',
  },
  {
    id: 'FR-NOTICE',
    title: { 'zh-CN': '告知不充分', en: 'Insufficient notice' },
    text: {
      'zh-CN': '应告知处理者、处理目的、方式、保存期限及个人权利；处理敏感个人信息还应告知必要性及对个人权益的影响。',
      en: 'Notice must name the processor, purpose, method, retention and rights; for sensitive data also the necessity and the impact on the person.',
    },
    citations: [cite(PIPL, '17', '◐'), cite(PIPL, '30', '◐'), cite(BANFA, '5', '◐')],
    channels: ['MAN'],
    severity: 'medium',
  },
  {
    id: 'FR-SIGNAGE',
    title: { 'zh-CN': '未设置显著提示标识', en: 'No prominent sign' },
    text: {
      'zh-CN': '在公共场所安装图像采集、个人身份识别设备，应为维护公共安全所必需并设置显著的提示标识，并合理确定采集区域。',
      en: 'Image-collection or identification devices in public places only where needed for public security, with prominent signs and a defined collection area.',
    },
    citations: [cite(PIPL, '26', '✔'), cite(BANFA, '13', '◐')],
    channels: ['MAN', 'STR'],
    severity: 'medium',
  },
  {
    id: 'FR-PURPOSE',
    title: { 'zh-CN': '超出公共安全目的使用', en: 'Use beyond public security' },
    text: {
      'zh-CN': '所收集的个人图像只能用于维护公共安全的目的，取得个人单独同意的除外；经营场所违法使用人脸验证、辨识或分析构成侵权。',
      en: 'Such images may serve only public security unless the person separately consents; business premises using face verification, identification or analysis in breach of law infringe personal rights.',
    },
    citations: [cite(PIPL, '26', '✔'), cite(GUIDING, '2(1)', '✔')],
    channels: ['ANA', 'DEV', 'MAN'],
    severity: 'high',
  },
  {
    id: 'FR-NO-ALT',
    title: { 'zh-CN': '未提供非人脸识别方式', en: 'No non-face alternative' },
    text: {
      'zh-CN': '存在其他非人脸识别方式的，不得将人脸识别作为唯一方式；拒绝者应获得合理的替代方式。',
      en: 'Where non-face methods exist, face recognition may not be the only method; people who refuse get a reasonable alternative.',
    },
    citations: [cite(BANFA, '10', '✔')],
    channels: ['MAN'],
    severity: 'high',
  },
  {
    id: 'FR-COERCION',
    title: { 'zh-CN': '误导、欺诈、胁迫人脸识别', en: 'Misleading or coercing people into face recognition' },
    text: {
      'zh-CN': '不得以误导、欺诈、胁迫等方式诱导、强迫个人接受人脸识别。',
      en: 'No misleading, deceiving or coercing people into face recognition.',
    },
    citations: [cite(BANFA, '(article not verified)', '✘')],
    channels: ['MAN'],
    severity: 'high',
  },
  {
    id: 'FR-PRIVATE-SPACE',
    title: { 'zh-CN': '私密空间安装', en: 'Installed in a private space' },
    text: {
      'zh-CN': '不得在卫生间、更衣室、浴室、宾馆客房等私密空间内部安装人脸识别设备。',
      en: 'No installation inside toilets, changing rooms, bathrooms or hotel rooms.',
    },
    citations: [cite(BANFA, '13', '◐')],
    channels: ['STR', 'MAN'],
    severity: 'high',
  },
  {
    id: 'FR-LOCAL-STORE',
    title: { 'zh-CN': '人脸信息未本地存储', en: 'Facial data not kept on the device' },
    text: {
      'zh-CN': '人脸信息应存储于人脸识别设备内，除法律另有规定或取得单独同意外不得通过互联网对外传输。',
      en: 'Facial data is stored on the device and not sent over the Internet unless the law or separate consent allows.',
    },
    citations: [cite(BANFA, '8', '◐')],
    channels: ['DEV', 'NET'],
    severity: 'medium',
  },
  {
    id: 'FR-RETENTION',
    title: { 'zh-CN': '保存期限过长', en: 'Retention longer than needed' },
    text: {
      'zh-CN': '人脸信息的保存期限不得超过实现处理目的所必需的最短时间。',
      en: 'Facial data is kept no longer than the purpose needs.',
    },
    citations: [cite(BANFA, '8', '✔')],
    channels: ['DEV', 'MAN'],
    severity: 'medium',
  },
  {
    id: 'FR-RAW-BIOMETRIC',
    title: { 'zh-CN': '存储原始人脸图像', en: 'Raw face images stored' },
    text: {
      'zh-CN': '宜仅存储生物识别信息的摘要，不存储原始个人生物识别信息（推荐性标准）。',
      en: 'Keep summaries of biometric data, not raw biometric images (voluntary standard).',
    },
    citations: [cite(GBT35273, '6.3', '✔'), cite(GBT41819, '(article not verified)', '◐')],
    channels: ['DEV'],
    severity: 'medium',
  },
  {
    id: 'FR-SECURITY',
    title: { 'zh-CN': '安全保护措施不足', en: 'Insufficient security measures' },
    text: {
      'zh-CN': '应采取加密、访问控制、去标识化等安全技术措施。',
      en: 'Encryption, access control and de-identification are required.',
    },
    citations: [cite(PIPL, '51', '✔'), cite(BANFA, '(article not verified)', '◐')],
    channels: ['DEV', 'NET'],
    severity: 'medium',
  },
  {
    id: 'FR-THIRD-PARTY',
    title: { 'zh-CN': '向第三方提供或委托处理', en: 'Disclosure to or processing by third parties' },
    text: {
      'zh-CN': '委托处理应签订合同；向其他处理者提供个人信息应取得单独同意。',
      en: 'Entrusted processing needs a contract; disclosure to another processor needs separate consent.',
    },
    citations: [cite(PIPL, '21', '✘'), cite(PIPL, '23', '✘'), cite(GUIDING, '2(6)', '✔')],
    channels: ['NET', 'MAN'],
    severity: 'medium',
  },
  {
    id: 'FR-PIA',
    title: { 'zh-CN': '未进行个人信息保护影响评估', en: 'No personal information impact assessment' },
    text: {
      'zh-CN': '处理敏感个人信息前应进行个人信息保护影响评估，评估报告至少保存三年。',
      en: 'An impact assessment precedes processing of sensitive data and is kept for three years.',
    },
    citations: [cite(PIPL, '55', '◐'), cite(PIPL, '56', '✔'), cite(BANFA, '9', '◐')],
    channels: ['MAN'],
    severity: 'medium',
  },
  {
    id: 'FR-FILING',
    title: { 'zh-CN': '未履行备案', en: 'No filing' },
    text: {
      'zh-CN': '存储人脸信息达到10万人的，应在30个工作日内向所在地省级网信部门备案。',
      en: 'Holders of facial data of 100,000 or more people file with the provincial cyberspace office within 30 working days.',
    },
    citations: [cite(BANFA, '15', '✔')],
    channels: ['DEV', 'MAN'],
    severity: 'medium',
  },
  {
    id: 'FR-MINORS',
    title: { 'zh-CN': '未成年人人脸信息', en: 'Minors\' facial data' },
    text: {
      'zh-CN': '处理不满十四周岁未成年人的人脸信息，应取得其监护人的同意。',
      en: 'Facial data of children under 14 needs a guardian\'s consent.',
    },
    citations: [cite(PIPL, '31', '✔'), cite(BANFA, '6', '✔')],
    channels: ['MAN'],
    severity: 'high',
  },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

/** Throws: a rule id the code names must exist (a typo is a bug, not data). */
export const ruleById = (id: string): Rule => {
  const r = byId.get(id);
  if (!r) throw new Error(`unknown rule ${id}`);
  return r;
};
