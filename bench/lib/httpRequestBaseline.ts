/*
 * The baseline of benchmark 2: what a user would build instead of this node, with n8n's own nodes
 * from the pinned runtime (.tools/n8n-runtime, the same n8n 2.41.1 the trigger benchmark runs)
 * through the same engine harness (test/helpers/engine.ts) as our node.
 *
 *   Edit Fields (created = $now in UTC) → Crypto Generate (nonce: 32 hex) → Crypto Hmac
 *   (SHA256 of nonce + created, base64, with the AppSecret in a Crypto credential) → HTTP Request
 *   (POST callnotify, Authorization and X-AKSK headers and the JSON body from expressions)
 *
 * A Code node cannot take this place: in n8n 2.x it runs in the task runner, a separate process that
 * the engine harness does not have, and n8n's expression language has no HMAC (`.hash()` takes no
 * key). The HTTP Request node sends all items of a run at once and has no concurrency limit of its
 * own, so the same concurrency as the node's (5) is what n8n users build for it: Loop Over Items
 * with a batch size of 5 in front of the four nodes. The same nodes without the loop (every request
 * at once) are measured too.
 */
import type { IConnections, INode, INodeExecutionData, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { fs, path, repoRoot, requireFile } from '../../dev/node.cjs';
import { ENDPOINTS } from '../../nodes/shared/platform/endpoints';
import { AKSK_AUTHORIZATION } from '../../nodes/shared/transport/aksk';
import { runWorkflow } from '../../test/helpers/engine';
import { DISPLAY } from './engine';

const BASE_NODES = path.join(repoRoot, '.tools', 'n8n-runtime', 'node_modules', 'n8n-nodes-base', 'dist', 'nodes');

/** n8n's node classes used by the baseline, by the file that exports them. */
const NODE_FILES: Record<string, [file: string, exported: string]> = {
	'n8n-nodes-base.set': ['Set/Set.node.js', 'Set'],
	'n8n-nodes-base.crypto': ['Crypto/Crypto.node.js', 'Crypto'],
	'n8n-nodes-base.httpRequest': ['HttpRequest/HttpRequest.node.js', 'HttpRequest'],
	'n8n-nodes-base.splitInBatches': ['SplitInBatches/SplitInBatches.node.js', 'SplitInBatches'],
	'n8n-nodes-base.noOp': ['NoOp/NoOp.node.js', 'NoOp'],
};

/** Why the baseline cannot run (the runtime is missing), or undefined. */
export function baselineUnavailable(): string | undefined {
	return fs.existsSync(BASE_NODES) ? undefined : 'the n8n runtime is not installed (node scripts/setup-n8n.cjs)';
}

let loaded: Record<string, INodeType | IVersionedNodeType> | undefined;

function baseNodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	loaded ??= Object.fromEntries(
		Object.entries(NODE_FILES).map(([type, [file, exported]]) => {
			const module = requireFile(path.join(BASE_NODES, file)) as Record<string, new () => INodeType | IVersionedNodeType>;
			return [type, new module[exported]()];
		}),
	);
	return loaded;
}

function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, x: number): INode {
	return { id: `baseline-${x}`, name, type, typeVersion, position: [x * 200, 0], parameters: parameters as INode['parameters'] };
}

/** The four nodes that sign and send one request per item, and (optionally) Loop Over Items around them. */
export function baselineWorkflow(baseUrl: string, appKey: string, loopBatchSize?: number): { nodes: INode[]; connections: IConnections } {
	const created = node('Created', 'n8n-nodes-base.set', 3.4, {
		mode: 'manual',
		assignments: {
			assignments: [{ id: 'created', name: 'created', type: 'string', value: "={{ $now.toUTC().toFormat(\"yyyy-MM-dd'T'HH:mm:ss'Z'\") }}" }],
		},
		includeOtherFields: true,
		options: {},
	}, 1);
	const nonce = node('Nonce', 'n8n-nodes-base.crypto', 2, { action: 'generate', dataPropertyName: 'nonce', encodingType: 'hex', stringLength: 32 }, 2);
	const digest = node('Digest', 'n8n-nodes-base.crypto', 2, {
		action: 'hmac',
		type: 'SHA256',
		value: '={{ $json.nonce + $json.created }}',
		dataPropertyName: 'digest',
		encoding: 'base64',
	}, 3);
	digest.credentials = { crypto: { id: '2', name: 'AppSecret' } };
	const send = node('Send', 'n8n-nodes-base.httpRequest', 4.2, {
		method: 'POST',
		url: `${baseUrl}${ENDPOINTS.callNotify.path}`,
		sendHeaders: true,
		headerParameters: {
			parameters: [
				{ name: 'Authorization', value: AKSK_AUTHORIZATION },
				{ name: 'X-AKSK', value: `=UsernameToken Username="${appKey}", PasswordDigest="{{ $json.digest }}", Nonce="{{ $json.nonce }}", Created="{{ $json.created }}"` },
				// The platform closes every connection after its answer; so does our node.
				{ name: 'Connection', value: 'close' },
			],
		},
		sendBody: true,
		contentType: 'json',
		specifyBody: 'json',
		jsonBody: `={{ JSON.stringify({ displayNbr: "${DISPLAY}", calleeNbr: $json.phone, playInfoList: [{ notifyVoice: "notifyvoice.wav" }] }) }}`,
		options: {},
	}, 4);
	const chain: IConnections = {
		Created: { main: [[{ node: 'Nonce', type: 'main', index: 0 }]] },
		Nonce: { main: [[{ node: 'Digest', type: 'main', index: 0 }]] },
		Digest: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
	};
	if (loopBatchSize === undefined) return { nodes: [created, nonce, digest, send], connections: chain };
	// Loop Over Items needs an input from a node before it (the harness feeds the first node).
	const start = node('Items', 'n8n-nodes-base.noOp', 1, {}, -1);
	const loop = node('Loop Over Items', 'n8n-nodes-base.splitInBatches', 3, { batchSize: loopBatchSize, options: {} }, 0);
	return {
		nodes: [start, loop, created, nonce, digest, send],
		connections: {
			...chain,
			Items: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
			'Loop Over Items': { main: [[], [{ node: 'Created', type: 'main', index: 0 }]] },
			Send: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
		},
	};
}

export interface BaselineRun {
	/** HTTP Request outputs with resultcode "0". */
	ok: number;
	error?: string;
}

/** Runs the baseline over `input`; counts the accepted sends from the HTTP Request node's outputs. */
export async function runBaseline(
	credentials: { baseUrl: string; appKey: string; appSecret: string },
	input: INodeExecutionData[],
	loopBatchSize?: number,
): Promise<BaselineRun> {
	const wf = baselineWorkflow(credentials.baseUrl, credentials.appKey, loopBatchSize);
	const { run } = await runWorkflow(
		{ ...wf, startNode: wf.nodes[0].name },
		{ input, nodeTypes: baseNodeTypes(), credentials: { crypto: { hmacSecret: credentials.appSecret } } },
	);
	const error = run.data.resultData.error;
	const sends = run.data.resultData.runData.Send ?? [];
	const ok = sends
		.flatMap((task) => task.data?.main?.[0] ?? [])
		.filter((item) => (item.json as { resultcode?: unknown }).resultcode === '0').length;
	return { ok, error: error ? String(error.message) : undefined };
}
