/*
 * Benchmark 2: per-request overhead of the node (engine included).
 *
 * OPS Voice Notification → Send items through the real engine at default options (5 concurrent
 * requests) against an emulator in its own process with unlimited ports and near-instant calls
 * (no 1020165, no simulated latency), versus, with the same items, payload and concurrency:
 * - what a user would build instead: n8n's own HTTP Request node sending the same signed request,
 *   its X-AKSK header from Edit Fields + Crypto nodes, behind Loop Over Items of 5
 *   (lib/httpRequestBaseline.ts; the same four nodes without the loop are measured too);
 * - a bare undici client sending the same signed requests: the floor, no engine at all.
 * Warm-up first (every side), then repetitions in rotating order; medians.
 * Physical limit: the emulator's own request rate (it answers every request on a new connection,
 * like the platform), which every side shares.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { request } from 'undici';

import { proc } from '../dev/node.cjs';
import { CALL_NOTIFY, notifyBody, sendSigned, type BareCredentials } from './lib/bareClient';
import { benchScript, spawnJsonChild } from './lib/child';
import { DISPLAY, notificationParameters, runAction } from './lib/engine';
import { baselineUnavailable, runBaseline } from './lib/httpRequestBaseline';
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

type Side = 'node' | 'httpLoop' | 'httpAll' | 'bare';

export interface SideFigures {
	samples: OverheadSample[];
	opsPerSecond: number;
	cpuMsPerItem: number;
	/** Median wall of this side ÷ the node's: above 1, the node is faster per item. */
	nodeAdvantage: number;
}

export interface OverheadResult {
	ops: number;
	concurrency: number;
	repetitions: number;
	sides: Partial<Record<Side, SideFigures>>;
	/** Why the HTTP Request baselines were not measured, if they were not. */
	httpRequestSkipped?: string;
	/** (median node wall − median bare wall) / ops. */
	addedMsPerItem: number;
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

async function httpRequestRun(creds: BareCredentials, ops: number, prefix: string, loopBatchSize?: number): Promise<OverheadSample> {
	const input: INodeExecutionData[] = Array.from({ length: ops }, (_, i) => ({ json: { phone: callee(prefix, i) } }));
	const cpu = proc.cpuUsage();
	const started = performance.now();
	const run = await withTimeout(runBaseline(creds, input, loopBatchSize), 180_000, 'The HTTP Request baseline run');
	const wallMs = performance.now() - started;
	if (run.error) throw new Error(`The HTTP Request baseline failed: ${run.error}`);
	return { wallMs, cpuMs: cpuMs(cpu), ok: run.ok };
}

export async function overheadBench(config: OverheadConfig): Promise<OverheadResult> {
	const emulator = await spawnJsonChild<BareCredentials>(benchScript('emulatorProcess.js'), [
		JSON.stringify({ ports: 1_000_000, timeScale: 0.0001 }),
	]);
	const creds = emulator.first;
	const skipped = baselineUnavailable();
	const sides: Side[] = skipped ? ['node', 'bare'] : ['node', 'httpLoop', 'httpAll', 'bare'];
	const runSide = async (side: Side, ops: number, prefix: string): Promise<OverheadSample> => {
		if (side === 'node') return await nodeRun(creds, ops, prefix);
		if (side === 'bare') return await bareRun(creds, ops, config.concurrency, prefix);
		return await httpRequestRun(creds, ops, prefix, side === 'httpLoop' ? config.concurrency : undefined);
	};
	try {
		say(`  overhead: warm-up (${config.warmupOps} ops each: ${sides.join(', ')}) …`);
		for (const side of sides) await runSide(side, config.warmupOps, '137');
		await resetEmulator(creds.baseUrl);
		const samples: Record<Side, OverheadSample[]> = { node: [], httpLoop: [], httpAll: [], bare: [] };
		for (let rep = 0; rep < config.repetitions; rep++) {
			// Rotate which side goes first, so drift (GC, emulator state) does not favour one.
			const order = sides.map((_side, i) => sides[(i + rep) % sides.length]);
			say(`  overhead: repetition ${rep + 1}/${config.repetitions}, ${config.ops} ops each (${order.join(', ')}) …`);
			for (const side of order) {
				const sample = await runSide(side, config.ops, '136');
				if (sample.ok !== config.ops) throw new Error(`${side}: ${sample.ok} of ${config.ops} sends accepted`);
				samples[side].push(sample);
				await resetEmulator(creds.baseUrl);
			}
		}
		const nodeWall = median(samples.node.map((s) => s.wallMs));
		const figures: Partial<Record<Side, SideFigures>> = {};
		for (const side of sides) {
			const wall = median(samples[side].map((s) => s.wallMs));
			figures[side] = {
				samples: samples[side],
				opsPerSecond: config.ops / (wall / 1000),
				cpuMsPerItem: median(samples[side].map((s) => s.cpuMs)) / config.ops,
				nodeAdvantage: wall / nodeWall,
			};
		}
		const bareWall = median(samples.bare.map((s) => s.wallMs));
		return {
			ops: config.ops,
			concurrency: config.concurrency,
			repetitions: config.repetitions,
			sides: figures,
			httpRequestSkipped: skipped,
			addedMsPerItem: (nodeWall - bareWall) / config.ops,
		};
	} finally {
		await emulator.stop();
	}
}
