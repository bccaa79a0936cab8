export { bootTest, DEFAULT_EXPECT, DEFAULT_TIMEOUT_S, type BootTestOptions, type BootTestResult } from './run.js';
export { inputsFromPublishDir, inputsFromManifest, findManifests, type BootInputs, type BootFile } from './inputs.js';
export { ACCEL_CHOICES, type AccelChoice } from './accel.js';
export { BOOT_STYLES, type BootStyle } from './style.js';
export { withLayerInputs } from './layer.js';
