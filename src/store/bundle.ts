/** Evidence bundles: the format, export, verification and import (one module per job, bundle-*.ts). */
export { exportBundle } from './bundle-export.js';
export type { BundleManifest } from './bundle-format.js';
export { importBundle } from './bundle-import.js';
export { verifyBundle, type VerifiedBundle } from './bundle-verify.js';
