export { run, type RunOptions, type RunResult, type LineClassifier, type StreamName } from './run.js';
export { displayCommand, shellQuote } from './quote.js';
export { installHint } from './hints.js';
