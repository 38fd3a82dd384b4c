// Benchmark-only preload (`npm run bench -- --only triggerSettings` gives it to n8n with
// NODE_OPTIONS=--require): measures what the upstream change in docs/proposal-webhook-phase-without-isolate.md
// would gain. It changes no file of the pinned runtime: in memory, when n8n loads `LiveWebhooks`, it
// wraps `webhookPhaseNeedsIsolate` so that this package's trigger with static parameters skips the
// expression isolate in the webhook phase, as n8n's Webhook node v2 does. Every other node keeps n8n's
// own answer. Nothing shipped loads this file, and neither does `npm start` or any test.
'use strict';
const Module = require('module');

const TRIGGER_TYPE = 'n8n-nodes-huawei-voicecall.huaweiVoiceCallTrigger';
const originalLoad = Module._load;
let patched = false;

Module._load = function load(request, parent, isMain) {
	const exported = originalLoad.apply(this, arguments);
	const proto = exported && exported.LiveWebhooks && exported.LiveWebhooks.prototype;
	if (!patched && proto && typeof proto.webhookPhaseNeedsIsolate === 'function') {
		patched = true;
		const original = proto.webhookPhaseNeedsIsolate;
		const { nodeParametersAreStatic } = originalLoad('n8n-workflow', parent, false);
		proto.webhookPhaseNeedsIsolate = function webhookPhaseNeedsIsolate(startNode) {
			if (startNode && startNode.type === TRIGGER_TYPE && nodeParametersAreStatic(startNode)) return false;
			return original.call(this, startNode);
		};
		process.stderr.write('[webhookGatePatch] LiveWebhooks.webhookPhaseNeedsIsolate wrapped for the Huawei trigger\n');
	}
	return exported;
};
