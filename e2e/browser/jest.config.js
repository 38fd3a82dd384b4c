/**
 * Browser tests of the emulator console: headless Chromium (scripts/setup-chromium.cjs) drives the
 * page while a real n8n runs the example workflows.
 */
module.exports = require('../jest.base')('browser');
