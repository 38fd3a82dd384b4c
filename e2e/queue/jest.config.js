/**
 * The queue-mode end-to-end suite (`npm run test:e2e:queue`): one n8n queue-mode cluster
 * (e2e/lib/queue.ts: PostgreSQL, Redis, main, two workers, two webhook processes, ~4 GB RSS) per
 * test file.
 */
module.exports = require('../jest.base')('queue', { testTimeout: 300000 });
