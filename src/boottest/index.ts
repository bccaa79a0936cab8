export { bootTest, type BootTestOptions, type BootTestResult } from './run.js';
export { inputsFromPublishDir, inputsFromManifest, findManifests, type BootInputs, type BootFile } from './inputs.js';
export { ACCEL_CHOICES, BOOT_STYLES, DEFAULT_EXPECT, DEFAULT_TIMEOUT_S, type AccelChoice, type BootStyle } from './options.js';
export { withLayerInputs } from './layer.js';
