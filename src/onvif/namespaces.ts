/** XML namespaces of the ONVIF services and SOAP stacks we speak. */
export const NS = {
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  tt: 'http://www.onvif.org/ver10/schema',
  device: 'http://www.onvif.org/ver10/device/wsdl',
  media: 'http://www.onvif.org/ver10/media/wsdl',
  media2: 'http://www.onvif.org/ver20/media/wsdl',
  analytics: 'http://www.onvif.org/ver20/analytics/wsdl',
  events: 'http://www.onvif.org/ver10/events/wsdl',
  topics: 'http://www.onvif.org/ver10/topics',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsdd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
} as const;

export type ServiceKey = 'device' | 'media' | 'media2' | 'analytics' | 'events';

export const SERVICE_NAMESPACES: Readonly<Record<ServiceKey, string>> = {
  device: NS.device,
  media: NS.media,
  media2: NS.media2,
  analytics: NS.analytics,
  events: NS.events,
};
