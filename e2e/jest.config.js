/** End-to-end tests against a real n8n (installed by `node scripts/setup-n8n.cjs`); each file starts its own n8n (~750 MB RSS). */
module.exports = require('./jest.base')('tests');
