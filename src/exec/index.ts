export { run, type RunOptions, type RunResult, type LineClassifier, type StreamName } from './run.js';
export { cancelAll, cancelSignal, isCancelled, resetCancellation } from './cancel.js';
export { displayCommand, shellQuote } from './quote.js';
export { installHint } from './hints.js';
