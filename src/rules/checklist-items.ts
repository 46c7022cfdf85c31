/**
 * The inspector's manual items (channel MAN): the question, and which answer raises the rule.
 * Some questions are phrased so that "yes" is the problem (a camera in a toilet), others so that
 * "no" is (no sign); `raisesOn` says which.
 */
import type { ChecklistAnswer, Localized } from '../core/record.js';

export interface ChecklistItem {
  readonly id: string;
  readonly ruleId: string;
  readonly question: Localized;
  readonly raisesOn: Exclude<ChecklistAnswer, 'n/a'>;
}

export const CHECKLIST_ITEMS: readonly ChecklistItem[] = [
  { id: 'signage', ruleId: 'FR-SIGNAGE', raisesOn: 'no', question: { 'zh-CN': '采集区域前是否设有提及人脸识别的显著提示标识？', en: 'Is there a prominent sign before the capture zone that mentions face recognition?' } },
  { id: 'consent', ruleId: 'FR-CONSENT', raisesOn: 'no', question: { 'zh-CN': '采集人脸前是否取得访客的单独同意？', en: 'Is visitors\' separate consent obtained before their faces are captured?' } },
  { id: 'alternative', ruleId: 'FR-NO-ALT', raisesOn: 'no', question: { 'zh-CN': '拒绝人脸识别的访客能否通过其他方式进入、登记或获取价格？', en: 'Can visitors who refuse face recognition still enter, register or get prices another way?' } },
  { id: 'notice', ruleId: 'FR-NOTICE', raisesOn: 'no', question: { 'zh-CN': '是否公示了完整的人脸信息处理规则（处理者、目的、方式、期限、权利）？', en: 'Are complete processing rules published (processor, purpose, method, retention, rights)?' } },
  { id: 'retention', ruleId: 'FR-RETENTION', raisesOn: 'no', question: { 'zh-CN': '是否规定并执行了保存期限及到期自动删除？', en: 'Is a retention period defined and enforced by automatic deletion?' } },
  { id: 'third-parties', ruleId: 'FR-THIRD-PARTY', raisesOn: 'yes', question: { 'zh-CN': '人脸信息是否提供给第三方（厂商、集团总部、渠道）而无合同或单独同意？', en: 'Are facial data passed to third parties (vendor, group HQ, agents) without a contract or separate consent?' } },
  { id: 'pia', ruleId: 'FR-PIA', raisesOn: 'no', question: { 'zh-CN': '部署前是否进行了个人信息保护影响评估？', en: 'Was a personal information impact assessment made before deployment?' } },
  { id: 'filing', ruleId: 'FR-FILING', raisesOn: 'no', question: { 'zh-CN': '存储人脸达10万人以上的，是否已向省级网信部门备案？（不足10万人答"不适用"）', en: 'If faces of 100,000+ people are stored, was the filing made? (n/a below 100,000)' } },
  { id: 'bundled', ruleId: 'FR-BUNDLED', raisesOn: 'yes', question: { 'zh-CN': '价格、优惠或登记是否以刷脸为条件？', en: 'Are prices, discounts or registration conditional on a face scan?' } },
  { id: 'coercion', ruleId: 'FR-COERCION', raisesOn: 'yes', question: { 'zh-CN': '工作人员是否诱导或强迫访客刷脸？', en: 'Do staff push or mislead visitors into a face scan?' } },
  { id: 'minors', ruleId: 'FR-MINORS', raisesOn: 'yes', question: { 'zh-CN': '是否在未取得监护人同意的情况下采集未成年人人脸？', en: 'Are minors\' faces captured without a guardian\'s consent?' } },
  { id: 'private-space', ruleId: 'FR-PRIVATE-SPACE', raisesOn: 'yes', question: { 'zh-CN': '是否有摄像机视野覆盖卫生间、更衣室等私密空间？', en: 'Does any camera view cover a toilet, changing room or other private space?' } },
  { id: 'purpose', ruleId: 'FR-PURPOSE', raisesOn: 'yes', question: { 'zh-CN': '人脸是否用于判客（区分自然来访与渠道带看）或结算佣金？', en: 'Are faces used to attribute visitors to agents (判客) or to settle commissions?' } },
];

const byId = new Map(CHECKLIST_ITEMS.map((i) => [i.id, i]));

export const checklistItem = (id: string): ChecklistItem | undefined => byId.get(id);
