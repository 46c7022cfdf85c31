/** The simulator's public surface: the sales office, single cameras, and camera definitions as data. */
export { startSite, isSiteState, SITE_CAMERA_NAMES, type SiteCamera, type SiteHandle, type SiteOptions } from './site.js';
export { startCamera, type CameraHandle, type CameraOptions, type RequestLogEntry } from './camera.js';
export { ordinaryCamera, salesOffice, fictionalUuid, newInstanceId, type CameraDef, type FaceFeatures, type Quirks, type SimVendor, type SiteState } from './definitions.js';
