#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci` via the prepare script).
// This is the process edge, the one place that sets process-wide state. The AWS SDK warns on
// every run that its releases after January 2027 need Node 22: that is for whoever upgrades
// our dependencies (package.json pins a Node 20 line), not for users. The SDK has no switch but
// this variable, which it reads from the process environment when a client is made
// (@aws-sdk/core, emitWarningIfUnsupportedVersion), so it is set here, before the CLI loads;
// a value the user set wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
