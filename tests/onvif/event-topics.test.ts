/**
 * TopicSet shapes seen across vendors: every leaf topic counts wherever it sits, under intermediate nodes
 * with a vendor prefix, without one, in the default namespace, marked with wstop:topic or not; and the
 * published vendor face topics are assessed as face detection. Synthetic TopicSets in the shapes described.
 */
import { describe, expect, it } from 'vitest';
import { assessFace } from '../../src/assess/config.js';
import { matchFace } from '../../src/assess/face-patterns.js';
import { decodeEventProperties } from '../../src/onvif/decode.js';
import { parseXml } from '../../src/xml/parse.js';

const NS = 'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wstop="http://docs.oasis-open.org/wsn/t-1" xmlns:tns1="http://www.onvif.org/ver10/topics" xmlns:tt="http://www.onvif.org/ver10/schema"';
const MD = '<tt:MessageDescription IsProperty="true"><tt:Data><tt:SimpleItemDescription Name="State" Type="xs:boolean"/></tt:Data></tt:MessageDescription>';

const topicsOf = (topicSet: string): string[] => {
  const root = parseXml(`<tev:GetEventPropertiesResponse ${NS}><wstop:TopicSet>${topicSet}</wstop:TopicSet></tev:GetEventPropertiesResponse>`);
  if (!root.ok) throw new Error(root.error.message);
  const r = decodeEventProperties(root.value);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('event topic trees: every leaf counts wherever it sits', () => {
  it.each([
    ['Reolink: unprefixed intermediate, marked leaf', `<tns1:RuleEngine><MyRuleDetector><FaceDetect wstop:topic="true">${MD}</FaceDetect></MyRuleDetector></tns1:RuleEngine>`, 'tns1:RuleEngine/MyRuleDetector/FaceDetect'],
    ['vendor-prefixed intermediate', `<tns1:RuleEngine xmlns:tnsv="urn:vendor"><tnsv:Analytics><tnsv:FaceCapture wstop:topic="true">${MD}</tnsv:FaceCapture></tnsv:Analytics></tns1:RuleEngine>`, 'tns1:RuleEngine/tnsv:Analytics/tnsv:FaceCapture'],
    ['leaf without wstop:topic, with a MessageDescription', `<tns1:RuleEngine><FaceDetector><Face>${MD}</Face></FaceDetector></tns1:RuleEngine>`, 'tns1:RuleEngine/FaceDetector/Face'],
    ['leaf with nothing inside', '<tns1:RuleEngine><Vendor><Deeper><FaceSnap/></Deeper></Vendor></tns1:RuleEngine>', 'tns1:RuleEngine/Vendor/Deeper/FaceSnap'],
    ['wstop:topic="1" (xs:boolean) on a node that also has children', `<tns1:RuleEngine><FaceDetection wstop:topic=" 1 "><Region wstop:topic="true">${MD}</Region></FaceDetection></tns1:RuleEngine>`, 'tns1:RuleEngine/FaceDetection'],
    ['default-namespace vendor root', `<FaceRecognition xmlns="urn:vendor-topics"><Match wstop:topic="true">${MD}</Match></FaceRecognition>`, 'FaceRecognition/Match'],
    ['a topic node written in the tt namespace', `<tns1:RuleEngine><tt:FaceDetect wstop:topic="true">${MD}</tt:FaceDetect></tns1:RuleEngine>`, 'tns1:RuleEngine/tt:FaceDetect'],
  ])('%s', (_shape, topicSet, topic) => {
    const topics = topicsOf(topicSet);
    expect(topics).toContain(topic);
    expect(assessFace({ analytics: [], eventTopics: topics, vendor: [] }).supported).toBe(true);
  });

  it('a MessageDescription is never a topic', () => {
    expect(topicsOf(`<tns1:VideoSource><MotionAlarm wstop:topic="true">${MD}</MotionAlarm></tns1:VideoSource>`)).toEqual(['tns1:VideoSource/MotionAlarm']);
  });
});

describe('published vendor face topics', () => {
  // Reolink: registered as "Face Detection" by Home Assistant's ONVIF integration
  // (home-assistant/core, homeassistant/components/onvif/parsers.py).
  it.each([['tns1:RuleEngine/MyRuleDetector/FaceDetect', 'face-detection']])('%s is %s', (topic, id) => {
    expect(matchFace(topic)?.id).toBe(id);
  });
  // The same vendor's other rule-detector topics (same source) are not faces.
  it.each(['tns1:RuleEngine/MyRuleDetector/PeopleDetect', 'tns1:RuleEngine/MyRuleDetector/VehicleDetect', 'tns1:RuleEngine/MyRuleDetector/DogCatDetect', 'tns1:RuleEngine/MyRuleDetector/Visitor'])('%s is not a face topic', (topic) => {
    expect(matchFace(topic)).toBeNull();
  });
});
