/*
 * Benchmark 2: per-request overhead of the node (engine included).
 *
 * OPS Voice Notification → Send items through the real engine at default options (5 concurrent
 * requests) against an emulator in its own process with unlimited ports and near-instant calls
 * (no 1020165, no simulated latency), versus a bare undici client sending the same signed
 * requests with the same concurrency. Warm-up first, then alternating repetitions; medians.
 * Physical limit: the emulator's own request rate (it answers every request on a new connection,
 * like the platform), which both sides share.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { request } from 'undici';

import { proc } from '../dev/node.cjs';
import { CALL_NOTIFY, notifyBody, sendSigned, type BareCredentials } from './lib/bareClient';
import { benchScript, spawnJsonChild } from './lib/child';
import { DISPLAY, notificationParameters, runAction } from './lib/engine';
import { callee, lanes, median, say, withTimeout } from './lib/util';

export interface OverheadConfig {
	ops: number;
	concurrency: number;
	repetitions: number;
	warmupOps: number;
}

export interface OverheadSample {
	wallMs: number;
	cpuMs: number;
	ok: number;
}

export interface OverheadResult {
	ops: number;
	concurrency: number;
	repetitions: number;
	node: OverheadSample[];
	bare: OverheadSample[];
	nodeOpsPerSecond: number;
	bareOpsPerSecond: number;
	ratio: number;
	/** (median node wall − median bare wall) / ops. */
	addedMsPerItem: number;
	nodeCpuMsPerItem: number;
	bareCpuMsPerItem: number;
}

async function resetEmulator(baseUrl: string): Promise<void> {
	const response = await request(`${baseUrl}/emulator/reset`, { method: 'POST', reset: true });
	await response.body.text();
}

function cpuMs(start: NodeJS.CpuUsage): number {
	const used = proc.cpuUsage(start);
	return (used.user + used.system) / 1000;
}

async function nodeRun(creds: BareCredentials, ops: number, prefix: string): Promise<OverheadSample> {
	const input: INodeExecutionData[] = Array.from({ length: ops }, (_, i) => ({ json: { phone: callee(prefix, i) } }));
	const parameters = notificationParameters();
	const cpu = proc.cpuUsage();
	const started = performance.now();
	const run = await withTimeout(runAction(parameters, creds, input), 120_000, 'The overhead node run');
	const wallMs = performance.now() - started;
	if (run.error) throw new Error(`The node failed in the overhead benchmark: ${run.error}`);
	return { wallMs, cpuMs: cpuMs(cpu), ok: run.items.filter((item) => item.json.resultcode === '0').length };
}

async function bareRun(creds: BareCredentials, ops: number, concurrency: number, prefix: string): Promise<OverheadSample> {
	let ok = 0;
	const cpu = proc.cpuUsage();
	const started = performance.now();
	await withTimeout(
		lanes(ops, concurrency, async (i) => {
			const answer = await sendSigned(creds, 'POST', CALL_NOTIFY, notifyBody(DISPLAY, callee(prefix, i)));
			if (answer.resultcode === '0') ok++;
		}),
		120_000,
		'The overhead bare-client run',
	);
	return { wallMs: performance.now() - started, cpuMs: cpuMs(cpu), ok };
}

export async function overheadBench(config: OverheadConfig): Promise<OverheadResult> {
	const emulator = await spawnJsonChild<BareCredentials>(benchScript('emulatorProcess.js'), [
		JSON.stringify({ ports: 1_000_000, timeScale: 0.0001 }),
	]);
	const creds = emulator.first;
	try {
		say(`  overhead: warm-up (${config.warmupOps} ops each) …`);
		await nodeRun(creds, config.warmupOps, '137');
		await bareRun(creds, config.warmupOps, config.concurrency, '137');
		await resetEmulator(creds.baseUrl);
		const node: OverheadSample[] = [];
		const bare: OverheadSample[] = [];
		for (let rep = 0; rep < config.repetitions; rep++) {
			say(`  overhead: repetition ${rep + 1}/${config.repetitions}, ${config.ops} ops node + ${config.ops} ops bare …`);
			// Alternate which side goes first, so drift (GC, emulator state) does not favour one.
			const order = rep % 2 === 0 ? (['node', 'bare'] as const) : (['bare', 'node'] as const);
			for (const side of order) {
				if (side === 'node') node.push(await nodeRun(creds, config.ops, '136'));
				else bare.push(await bareRun(creds, config.ops, config.concurrency, '136'));
				await resetEmulator(creds.baseUrl);
			}
		}
		const nodeWall = median(node.map((s) => s.wallMs));
		const bareWall = median(bare.map((s) => s.wallMs));
		return {
			ops: config.ops,
			concurrency: config.concurrency,
			repetitions: config.repetitions,
			node,
			bare,
			nodeOpsPerSecond: config.ops / (nodeWall / 1000),
			bareOpsPerSecond: config.ops / (bareWall / 1000),
			ratio: bareWall / nodeWall,
			addedMsPerItem: (nodeWall - bareWall) / config.ops,
			nodeCpuMsPerItem: median(node.map((s) => s.cpuMs)) / config.ops,
			bareCpuMsPerItem: median(bare.map((s) => s.cpuMs)) / config.ops,
		};
	} finally {
		await emulator.stop();
	}
}
