export { prepareBootArtifacts, readOsIdentity, startTreeWalk } from './prepare.js';
export { artifactPrefix, buildManifest, publishPlan, type BootManifest, type PublishObject, type ObjectKind } from './manifest.js';
export type { BootArtifacts, PreparedFile } from './types.js';
export { relativePathProblem } from './naming.js';
export { startProgress, formatBytes, type Progress } from './progress.js';
