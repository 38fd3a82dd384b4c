/*
 * `npm run bench`: the benchmarks, one table, bench/results/latest.json.
 *
 *   node --expose-gc .build/bench/run.js [--only bulk,overhead,trigger,memory,callAndWait]
 *
 * Needs the package build (dist/) and the dev build (.build/); the trigger benchmark needs the n8n
 * runtime (node scripts/setup-n8n.cjs) and is skipped with a note when it is missing. Everything
 * listens on 127.0.0.1 only, every wait is bounded, and a watchdog ends the run after 15 minutes.
 */
import { clearTimeout, fs, path, proc, repoRoot, setTimeout } from '../dev/node.cjs';
import { bulkBench, type BulkResult } from './bulk';
import { callAndWaitBench, type CallAndWaitResult } from './callAndWait';
import { machineInfo, mib, round, say } from './lib/util';
import { memoryBench, type MemoryResult } from './downloadMemory';
import { overheadBench, type OverheadResult } from './overhead';
import { triggerBench, type TriggerResult } from './trigger';

/** The configuration of the published figures (see bench/README.md for why these values). */
export const CONFIG = {
	bulk: { items: 1000, ports: 50, holdSimSeconds: 40, timeScale: 0.05 },
	/** Diagnostic: the default algorithm with its retry wait scaled like the hold time (5 s × 0.05). */
	bulkScaled: { items: 500, ports: 50, holdSimSeconds: 40, timeScale: 0.05, retryWaitSeconds: 0.25 },
	overhead: { ops: 2000, concurrency: 5, repetitions: 5, warmupOps: 2000 },
	trigger: { pushes: 300, concurrency: 8, warmup: 20 },
	memory: { bytes: 50 * 1024 * 1024 },
	callAndWait: { samples: 15, warmup: 3, concurrent: 100 },
	targets: { bulk: 0.9, overhead: 0.8, trigger: 0.9, memory: 1.5, callAndWait: 1.5 },
};

const WATCHDOG_MS = 900_000;
const ALL = ['bulk', 'overhead', 'trigger', 'memory', 'callAndWait'] as const;
type Name = (typeof ALL)[number];

interface Results {
	bulk?: BulkResult;
	bulkScaled?: BulkResult;
	overhead?: OverheadResult;
	trigger?: TriggerResult;
	memory?: MemoryResult;
	callAndWait?: CallAndWaitResult;
	errors: Partial<Record<Name, string>>;
}

type Row = [string, string, string, string, string, string];

const f = (value: number, digits = 2) => (Number.isFinite(value) ? String(round(value, digits)) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : '**MISSED**');

function rows(r: Results): Row[] {
	const t = CONFIG.targets;
	const out: Row[] = [];
	if (r.bulk) {
		const { node, baseline } = r.bulk;
		const limit = `P/H = ${r.bulk.ports}/${r.bulk.holdSeconds} s = ${f(r.bulk.limitPerSecond, 1)} calls/s`;
		const ok = node.ratioToLimit >= t.bulk && node.failedItems === 0 && node.duplicateCalls === 0;
		out.push([
			`1 Bulk notifications, ${node.items} items, node at default options`,
			`${f(node.rate, 1)} calls/s; ${node.portLimitAnswers} × 1020165 absorbed; ${node.failedItems} failed; ${node.duplicateCalls} duplicate calls${node.error ? `; error: ${node.error}` : ''}`,
			baseline
				? `bare sequential loop: ${f(baseline.rate, 1)} calls/s but ${baseline.failedItems} of ${baseline.items} failed (1020165 not absorbed); ${baseline.duplicateCalls} duplicates`
				: 'n/a',
			`${f(node.ratioToLimit)} of ${limit}`,
			`≥ ${t.bulk} of P/H, 0 failed, 0 duplicates`,
			verdict(ok),
		]);
	}
	if (r.bulkScaled) {
		const { node } = r.bulkScaled;
		out.push([
			`1b Diagnostic: ${node.items} items, Retry Wait ${CONFIG.bulkScaled.retryWaitSeconds} s (5 s scaled like H)`,
			`${f(node.rate, 1)} calls/s; ${node.portLimitAnswers} × 1020165 absorbed; ${node.failedItems} failed; ${node.duplicateCalls} duplicates`,
			'same limit',
			`${f(node.ratioToLimit)} of P/H`,
			'(information)',
			'-',
		]);
	}
	if (r.overhead) {
		const o = r.overhead;
		out.push([
			`2 Per-request overhead, ${o.ops} notification sends, concurrency ${o.concurrency}, median of ${o.repetitions}`,
			`node ${f(o.nodeOpsPerSecond, 0)} ops/s; +${f(o.addedMsPerItem, 3)} ms/item wall; client CPU ${f(o.nodeCpuMsPerItem, 3)} ms/item`,
			`bare undici: ${f(o.bareOpsPerSecond, 0)} ops/s; client CPU ${f(o.bareCpuMsPerItem, 3)} ms/item`,
			`${f(o.ratio)} of bare`,
			`≥ ${t.overhead}`,
			verdict(o.ratio >= t.overhead),
		]);
	}
	if (r.trigger) {
		for (const kind of ['status', 'cdr'] as const) {
			const ours = r.trigger.phases.find((p) => p.kind === kind && p.target === 'trigger');
			const base = r.trigger.phases.find((p) => p.kind === kind && p.target === 'webhook');
			if (!ours || !base) continue;
			const replyRatio = ours.repliesPerSecond / base.repliesPerSecond;
			const processedRatio = ours.executionsPerSecond / base.executionsPerSecond;
			const clean =
				ours.executions === ours.sent &&
				ours.items === ours.expectedItems &&
				(ours.distinctCdrKeys ?? ours.expectedItems) === ours.expectedItems &&
				ours.non200 + ours.errors + ours.failedExecutions === 0;
			const label = kind === 'status' ? 'status pushes' : 'CDR pushes (50 records)';
			out.push([
				`3 Trigger in n8n ${r.trigger.n8nVersion}: ${ours.sent} ${label}, concurrency ${CONFIG.trigger.concurrency}`,
				`ours: ${f(ours.repliesPerSecond, 1)} replies/s (p50 ${f(ours.p50Ms, 0)} ms, p99 ${f(ours.p99Ms, 0)} ms), ${f(ours.executionsPerSecond, 1)} executions/s processed; ${ours.executions}/${ours.sent} executions, ${ours.items}/${ours.expectedItems} items${ours.distinctCdrKeys !== undefined ? ` (${ours.distinctCdrKeys} distinct)` : ''}`,
				`Webhook node: ${f(base.repliesPerSecond, 1)} replies/s (p50 ${f(base.p50Ms, 0)} ms, p99 ${f(base.p99Ms, 0)} ms), ${f(base.executionsPerSecond, 1)} executions/s; ${base.executions}/${base.sent} executions`,
				`replies ${f(replyRatio)}; processed ${f(processedRatio)}`,
				`≥ ${t.trigger} (processed), none lost or doubled`,
				verdict(processedRatio >= t.trigger && clean) + (clean ? '' : ' (lost/doubled!)'),
			]);
		}
	}
	if (r.memory) {
		for (const run of r.memory.runs) {
			const judged = run.mode === 'filesystem';
			out.push([
				`4 Recording → Download, ${mib(run.fileBytes)} MiB WAV, ${run.mode === 'filesystem' ? 'filesystem binary mode (as n8n runs)' : 'inline base64 (engine without BinaryDataService)'}`,
				`peak RSS +${mib(run.growth.rss)} MiB; external +${mib(run.growth.external)} MiB (arrayBuffers +${mib(run.growth.arrayBuffers)}); heap +${mib(run.growth.heapUsed)} MiB; ${f(run.ms / 1000, 1)} s${run.error ? `; error: ${run.error}` : ''}`,
				`file ${mib(run.fileBytes)} MiB${run.mode === 'inline' ? ' (base64 alone = 1.33 ×)' : ''}`,
				`${f(run.rssFactor)} × file size`,
				judged ? `≤ ${t.memory} ×` : '(information)',
				judged ? verdict(run.rssFactor <= t.memory && !run.error) : '-',
			]);
		}
	}
	if (r.callAndWait) {
		const c = r.callAndWait;
		out.push([
			`5 Call and wait in n8n: latency from the deciding push to the resumed execution's end, median of ${c.samples}`,
			`Send and Wait via the trigger's relay: ${f(c.oursMedianMs, 0)} ms (p90 ${f(c.oursP90Ms, 0)} ms)`,
			`n8n's Wait node resumed by a POST to its resume URL: ${f(c.waitNodeMedianMs, 0)} ms (p90 ${f(c.waitNodeP90Ms, 0)} ms)`,
			`${f(c.ratio)} × the Wait node`,
			`≤ ${t.callAndWait} ×`,
			verdict(c.ratio <= t.callAndWait),
		]);
		const once = c.concurrent.resumedOnce === CONFIG.callAndWait.concurrent && c.concurrent.onApproved === CONFIG.callAndWait.concurrent && c.concurrent.extraResumes === 0;
		out.push([
			`5 Call and wait: ${CONFIG.callAndWait.concurrent} executions waiting at once, every callee presses 1`,
			`${c.concurrent.resumedOnce}/${c.concurrent.executions} resumed exactly once, ${c.concurrent.onApproved} on Approved, ${c.concurrent.extraResumes} extra resumes; ${f(c.concurrent.seconds, 1)} s in all`,
			'-',
			'-',
			`${CONFIG.callAndWait.concurrent}/${CONFIG.callAndWait.concurrent} once`,
			verdict(once),
		]);
	}
	return out;
}

function table(machine: ReturnType<typeof machineInfo>, r: Results): string {
	const header: Row = ['Benchmark', 'Measured', 'Baseline (same run)', 'Ratio', 'Target', 'Result'];
	const lines = [
		`Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ${machine.platform} ${machine.arch}; ${machine.date}`,
		'',
		`| ${header.join(' | ')} |`,
		`|${header.map(() => ' --- ').join('|')}|`,
		...rows(r).map((row) => `| ${row.join(' | ')} |`),
	];
	for (const [name, error] of Object.entries(r.errors)) lines.push(`| ${name} | not measured: ${error} | | | | **ERROR** |`);
	return lines.join('\n');
}

function parseOnly(argv: string[]): Name[] {
	const index = argv.indexOf('--only');
	if (index === -1) return [...ALL];
	const names = (argv[index + 1] ?? '').split(',').filter(Boolean);
	const unknown = names.filter((n) => !(ALL as readonly string[]).includes(n));
	if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
	return names as Name[];
}

async function main(): Promise<void> {
	const only = parseOnly(proc.argv.slice(2));
	const machine = machineInfo();
	const started = Date.now();
	const results: Results = { errors: {} };
	let finished = false;
	const write = (partial: boolean) => {
		const dir = path.join(repoRoot, 'bench', 'results');
		fs.mkdirSync(dir, { recursive: true });
		const text = table(machine, results);
		const json = { machine, config: CONFIG, only, partial, durationMs: Date.now() - started, results, table: text };
		fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(json, null, '\t')}\n`);
		return text;
	};
	const watchdog = setTimeout(() => {
		if (finished) return;
		say(`\nWatchdog: the benchmarks did not finish within ${WATCHDOG_MS / 1000} s; partial results:\n`);
		say(write(true));
		proc.exit(2);
	}, WATCHDOG_MS);
	watchdog.unref();

	say(`Benchmarks: ${only.join(', ')} (machine: ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node})`);
	const attempt = async (name: Name, fn: () => Promise<void>) => {
		if (!only.includes(name)) return;
		const t0 = Date.now();
		try {
			await fn();
		} catch (error) {
			results.errors[name] = error instanceof Error ? error.message.split('\n')[0] : String(error);
			say(`  ${name} failed: ${results.errors[name]}`);
		}
		say(`  (${name}: ${Math.round((Date.now() - t0) / 1000)} s)`);
	};
	await attempt('bulk', async () => {
		results.bulk = await bulkBench(CONFIG.bulk);
		const s = CONFIG.bulkScaled;
		results.bulkScaled = await bulkBench({ ...s, nodeOptions: { retryWait: s.retryWaitSeconds }, skipBaseline: true, label: `retry wait ${s.retryWaitSeconds} s` });
	});
	await attempt('overhead', async () => {
		results.overhead = await overheadBench(CONFIG.overhead);
	});
	await attempt('trigger', async () => {
		results.trigger = await triggerBench(CONFIG.trigger);
	});
	await attempt('memory', async () => {
		results.memory = await memoryBench(CONFIG.memory);
	});
	await attempt('callAndWait', async () => {
		results.callAndWait = await callAndWaitBench(CONFIG.callAndWait);
	});

	finished = true;
	clearTimeout(watchdog);
	const text = write(false);
	say('');
	say(text);
	say('');
	say(`Total ${Math.round((Date.now() - started) / 1000)} s. Written: bench/results/latest.json`);
	// Exit explicitly: nothing of ours is left running, but a library's idle keep-alive socket must not hold the run.
	proc.exit(Object.keys(results.errors).length ? 1 : 0);
}

main().catch((error: unknown) => {
	proc.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	proc.exit(1);
});
