export { buildBootConfig, bootParams, parseBootConfig, withOverrides, type BootConfig, type BootOverrides, type BootConfigInput, type BootObject } from './document.js';
export { BOOT_CONFIG_FORMATS, bootConfiguration, bssBootParams, ipxeScript, renderBootConfig, type BootConfigFormat } from './render.js';
export { detectBootStyle, expandCmdline, STYLE_MARKER_PATHS, styleParams } from './style.js';
export { baseUrlProblem, nodeBaseUrl, objectUrl } from './url.js';
