/*
 * `npm run bench`: the benchmarks, one table, bench/results/latest.json.
 *
 *   node --expose-gc .build/bench/run.js [--only bulk,overhead,trigger,memory,callAndWait]
 *   node --expose-gc .build/bench/run.js --only triggerSettings        (diagnostics under other n8n settings;
 *   node --expose-gc .build/bench/run.js --only callAndWaitSettings     each writes bench/results/<names>.json)
 *
 * Needs the package build (dist/) and the dev build (.build/); the trigger benchmark needs the n8n
 * runtime (node scripts/setup-n8n.cjs) and is skipped with a note when it is missing. Everything
 * listens on 127.0.0.1 only, every wait is bounded, and a watchdog ends the run after 15 minutes
 * (6 more per diagnostic setting).
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
	/**
	 * 5000 items at the same P and H as `bulk`. What a cycle loses (a freed port waits for the next
	 * send: request time plus timer lag, 30–50 ms here) is fixed in ms, so the ratio depends on H;
	 * real calls hold 20–60 s, 10–30 × this H. (At H = 1 s the same run gave 0.968, see bench/README.md.)
	 */
	bulkLarge: { items: 5000, ports: 50, holdSimSeconds: 40, timeScale: 0.05 },
	/** Diagnostic: the default algorithm with its retry wait scaled like the hold time (5 s × 0.05). */
	bulkScaled: { items: 500, ports: 50, holdSimSeconds: 40, timeScale: 0.05, retryWaitSeconds: 0.25 },
	overhead: { ops: 2000, concurrency: 5, repetitions: 5, warmupOps: 2000 },
	trigger: { pushes: 300, concurrency: 8, warmup: 20, rounds: 2 },
	/**
	 * `--only triggerSettings`: the trigger benchmark again under each of these n8n settings
	 * (docs/n8n.md §7), plus any given as a JSON array in BENCH_TRIGGER_SETTINGS.
	 */
	triggerSettings: [
		{ N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' },
		{ N8N_EXPRESSION_ENGINE: 'legacy' },
		{ N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		{ N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true' },
		/** n8n's webhook gate opened for our trigger in memory, as docs/proposal-webhook-phase-without-isolate.md proposes. */
		{ NODE_OPTIONS: '--require {repo}/bench/lib/webhookGatePatch.cjs' },
	] as Array<Record<string, string>>,
	memory: { bytes: 50 * 1024 * 1024 },
	callAndWait: { samples: 15, warmup: 3, concurrent: 100 },
	/** `--only callAndWaitSettings`: benchmark 5 again under these n8n settings. */
	callAndWaitSettings: [
		{ NODE_OPTIONS: '--require {repo}/bench/lib/webhookGatePatch.cjs' },
		{ N8N_EXPRESSION_ENGINE: 'legacy' },
	] as Array<Record<string, string>>,
	targets: { bulk: 0.97, overhead: 1.0, trigger: 1.0, memory: 1.5, callAndWait: 1.5 },
};

const WATCHDOG_MS = 900_000;
/** Each diagnostic trigger run (an n8n start and 900 pushes per target) gets this much more. */
const WATCHDOG_PER_SETTING_MS = 360_000;
const ALL = ['bulk', 'overhead', 'trigger', 'memory', 'callAndWait'] as const;
/** Run only when named with --only (each takes minutes). */
const OPTIONAL = ['triggerSettings', 'callAndWaitSettings'] as const;
type Name = (typeof ALL)[number] | (typeof OPTIONAL)[number];

interface Results {
	bulk?: BulkResult;
	bulkLarge?: BulkResult;
	bulkScaled?: BulkResult;
	overhead?: OverheadResult;
	trigger?: TriggerResult;
	/** Optional diagnostics (`--only triggerSettings`): the trigger benchmark under other n8n settings. */
	triggerSettings?: TriggerResult[];
	/** Optional diagnostics (`--only callAndWaitSettings`): benchmark 5 under other n8n settings. */
	callAndWaitSettings?: CallAndWaitResult[];
	memory?: MemoryResult;
	callAndWait?: CallAndWaitResult;
	errors: Partial<Record<Name, string>>;
}

type Row = [string, string, string, string, string, string];

const f = (value: number, digits = 2) => (Number.isFinite(value) ? String(round(value, digits)) : 'n/a');
const verdict = (ok: boolean) => (ok ? 'met' : '**MISSED**');

/** A setting's values with `{repo}` replaced by the repository root (the written settings keep `{repo}`, so they read the same on every machine). */
function resolveEnv(env: Record<string, string>): Record<string, string> {
	return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value.split('{repo}').join(repoRoot)]));
}

function envLabel(env: Record<string, string> | undefined): string {
	const entries = Object.entries(env ?? {});
	return entries.length ? entries.map(([name, value]) => `${name}=${value}`).join(' ') : 'the defaults';
}

/** Our trigger against each Webhook node, per kind of push: executions processed per second. */
function triggerRows(result: TriggerResult, setting: string): Row[] {
	const t = CONFIG.targets;
	const out: Row[] = [];
	const baselines = [
		['webhookV1', 'Webhook node v1 (same isolate path as ours)'],
		['webhook', 'Webhook node v2 (skips the isolate in the webhook phase)'],
	] as const;
	for (const kind of ['status', 'cdr'] as const) {
		const ours = result.phases.find((p) => p.kind === kind && p.target === 'trigger');
		if (!ours) continue;
		const clean =
			ours.executions === ours.sent &&
			ours.items === ours.expectedItems &&
			(ours.distinctCdrKeys ?? ours.expectedItems) === ours.expectedItems &&
			ours.non200 + ours.errors + ours.failedExecutions === 0;
		const label = kind === 'status' ? 'status pushes' : 'CDR pushes (50 records)';
		for (const [target, name] of baselines) {
			const base = result.phases.find((p) => p.kind === kind && p.target === target);
			if (!base) continue;
			const processed = ours.executionsPerSecond / base.executionsPerSecond;
			const baseClean = base.executions === base.sent && base.non200 + base.errors + base.failedExecutions === 0;
			out.push([
				`3 Trigger in n8n ${result.n8nVersion}${setting}: ${ours.sent} ${label}, concurrency ${CONFIG.trigger.concurrency}, against the ${name}`,
				`ours: ${f(ours.executionsPerSecond, 1)} executions/s processed, ${f(ours.repliesPerSecond, 1)} replies/s (p50 ${f(ours.p50Ms, 0)} ms, p99 ${f(ours.p99Ms, 0)} ms); ${ours.executions}/${ours.sent} executions, ${ours.items}/${ours.expectedItems} items${ours.distinctCdrKeys !== undefined ? ` (${ours.distinctCdrKeys} distinct)` : ''}`,
				`${f(base.executionsPerSecond, 1)} executions/s, ${f(base.repliesPerSecond, 1)} replies/s (p50 ${f(base.p50Ms, 0)} ms); ${base.executions}/${base.sent} executions${baseClean ? '' : ' (baseline lost or failed some!)'}`,
				`processed ${f(processed)}; replies ${f(ours.repliesPerSecond / base.repliesPerSecond)}`,
				setting === '' ? `≥ ${t.trigger} (processed), none lost or doubled` : '(information)',
				setting === '' ? verdict(processed >= t.trigger && clean) + (clean ? '' : ' (lost/doubled!)') : clean ? '-' : 'lost/doubled!',
			]);
		}
	}
	return out;
}

function rows(r: Results): Row[] {
	const t = CONFIG.targets;
	const out: Row[] = [];
	const bulkRow = (b: BulkResult, withBaseline: boolean): Row => {
		const { node, baseline } = b;
		const limit = `P/H = ${b.ports}/${b.holdSeconds} s = ${f(b.limitPerSecond, 1)} calls/s`;
		const ok = node.ratioToLimit >= t.bulk && node.failedItems === 0 && node.duplicateCalls === 0;
		return [
			`1 Bulk notifications, ${node.items} items (P = ${b.ports}, H = ${b.holdSeconds} s), node at default options`,
			`${f(node.rate, 1)} calls/s; ${node.portLimitAnswers} × 1020165 absorbed; ${node.failedItems} failed; ${node.duplicateCalls} duplicate calls; engine start ${f(node.startMs / 1000, 1)} s before the first send${node.error ? `; error: ${node.error}` : ''}`,
			withBaseline && baseline
				? `bare sequential loop: ${f(baseline.rate, 1)} calls/s but ${baseline.failedItems} of ${baseline.items} failed (1020165 not absorbed); ${baseline.duplicateCalls} duplicates`
				: 'same limit',
			`${f(node.ratioToLimit)} of ${limit}`,
			`≥ ${t.bulk} of P/H, 0 failed, 0 duplicates`,
			verdict(ok),
		];
	};
	if (r.bulk) out.push(bulkRow(r.bulk, true));
	if (r.bulkLarge) out.push(bulkRow(r.bulkLarge, false));
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
		const node = o.sides.node;
		const loop = o.sides.httpLoop;
		const all = o.sides.httpAll;
		const bare = o.sides.bare;
		const what = `${o.ops} notification sends, concurrency ${o.concurrency}, median of ${o.repetitions}`;
		const ours = node ? `node ${f(node.opsPerSecond, 0)} ops/s; client CPU ${f(node.cpuMsPerItem, 3)} ms/item` : 'n/a';
		if (loop) {
			out.push([
				`2 Per-request overhead against n8n's HTTP Request node, ${what}`,
				ours,
				`Loop Over Items (5) → Edit Fields → Crypto ×2 (X-AKSK) → HTTP Request: ${f(loop.opsPerSecond, 0)} ops/s; client CPU ${f(loop.cpuMsPerItem, 3)} ms/item`,
				`${f(loop.nodeAdvantage)} × its rate`,
				`≥ ${t.overhead} ×`,
				verdict(loop.nodeAdvantage >= t.overhead),
			]);
		} else {
			out.push([`2 Per-request overhead against n8n's HTTP Request node`, 'not measured', o.httpRequestSkipped ?? 'n/a', '-', `≥ ${t.overhead} ×`, '**ERROR**']);
		}
		if (all) {
			out.push([
				`2 Diagnostic: the same four nodes without the loop (every request at once), ${o.ops} sends`,
				ours,
				`Edit Fields → Crypto ×2 → HTTP Request: ${f(all.opsPerSecond, 0)} ops/s; client CPU ${f(all.cpuMsPerItem, 3)} ms/item`,
				`${f(all.nodeAdvantage)} × its rate`,
				'(information)',
				'-',
			]);
		}
		if (bare) {
			out.push([
				`2 Floor: a bare undici client, ${what}`,
				`${ours}; +${f(o.addedMsPerItem, 3)} ms/item wall over bare`,
				`bare undici: ${f(bare.opsPerSecond, 0)} ops/s; client CPU ${f(bare.cpuMsPerItem, 3)} ms/item`,
				`${f(bare.nodeAdvantage)} of bare`,
				'(the floor; information)',
				'-',
			]);
		}
	}
	if (r.trigger) out.push(...triggerRows(r.trigger, ''));
	for (const diagnostic of r.triggerSettings ?? []) out.push(...triggerRows(diagnostic, ` with ${envLabel(diagnostic.n8nEnv)}`));
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
	for (const c of r.callAndWaitSettings ?? []) {
		out.push([
			`5 Call and wait in n8n with ${envLabel(c.n8nEnv)}: latency, median of ${c.samples}`,
			`Send and Wait via the trigger's relay: ${f(c.oursMedianMs, 0)} ms (p90 ${f(c.oursP90Ms, 0)} ms); ${c.concurrent.resumedOnce}/${c.concurrent.executions} of the concurrent waits resumed once`,
			`n8n's Wait node: ${f(c.waitNodeMedianMs, 0)} ms (p90 ${f(c.waitNodeP90Ms, 0)} ms)`,
			`${f(c.ratio)} × the Wait node`,
			'(information)',
			'-',
		]);
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
	const known: readonly string[] = [...ALL, ...OPTIONAL];
	const unknown = names.filter((n) => !known.includes(n));
	if (unknown.length) throw new Error(`Unknown benchmark(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
	return names as Name[];
}

async function main(): Promise<void> {
	const only = parseOnly(proc.argv.slice(2));
	const subset = proc.argv.includes('--only');
	// The full run is the published one; a subset goes to a file of its own.
	const resultFile = subset ? `${only.join('+')}.json` : 'latest.json';
	const machine = machineInfo();
	const started = Date.now();
	const results: Results = { errors: {} };
	let finished = false;
	const write = (partial: boolean) => {
		const dir = path.join(repoRoot, 'bench', 'results');
		fs.mkdirSync(dir, { recursive: true });
		const text = table(machine, results);
		const json = { machine, config: CONFIG, only, partial, durationMs: Date.now() - started, results, table: text };
		fs.writeFileSync(path.join(dir, resultFile), `${JSON.stringify(json, null, '\t')}\n`);
		return text;
	};
	const settingsCount = CONFIG.triggerSettings.length + (proc.env.BENCH_TRIGGER_SETTINGS ? 4 : 0);
	const waitSettings = only.includes('callAndWaitSettings') ? CONFIG.callAndWaitSettings.length : 0;
	const watchdogMs = WATCHDOG_MS + ((only.includes('triggerSettings') ? settingsCount : 0) + waitSettings) * WATCHDOG_PER_SETTING_MS;
	const watchdog = setTimeout(() => {
		if (finished) return;
		say(`\nWatchdog: the benchmarks did not finish within ${watchdogMs / 1000} s; partial results:\n`);
		say(write(true));
		proc.exit(2);
	}, watchdogMs);
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
		results.bulkLarge = await bulkBench({ ...CONFIG.bulkLarge, skipBaseline: true, label: `${CONFIG.bulkLarge.items} items` });
		const s = CONFIG.bulkScaled;
		results.bulkScaled = await bulkBench({ ...s, nodeOptions: { retryWait: s.retryWaitSeconds }, skipBaseline: true, label: `retry wait ${s.retryWaitSeconds} s` });
	});
	await attempt('overhead', async () => {
		results.overhead = await overheadBench(CONFIG.overhead);
	});
	await attempt('trigger', async () => {
		results.trigger = await triggerBench(CONFIG.trigger);
	});
	await attempt('triggerSettings', async () => {
		const extra = proc.env.BENCH_TRIGGER_SETTINGS ? (JSON.parse(proc.env.BENCH_TRIGGER_SETTINGS) as Array<Record<string, string>>) : [];
		results.triggerSettings = [];
		for (const n8nEnv of [...CONFIG.triggerSettings, ...extra]) {
			say(`  trigger with ${envLabel(n8nEnv)} …`);
			const result = await triggerBench({ ...CONFIG.trigger, n8nEnv: resolveEnv(n8nEnv) });
			results.triggerSettings.push({ ...result, n8nEnv });
		}
	});
	await attempt('memory', async () => {
		results.memory = await memoryBench(CONFIG.memory);
	});
	await attempt('callAndWait', async () => {
		results.callAndWait = await callAndWaitBench(CONFIG.callAndWait);
	});
	await attempt('callAndWaitSettings', async () => {
		results.callAndWaitSettings = [];
		for (const n8nEnv of CONFIG.callAndWaitSettings) {
			say(`  call and wait with ${envLabel(n8nEnv)} …`);
			const result = await callAndWaitBench({ ...CONFIG.callAndWait, n8nEnv: resolveEnv(n8nEnv) });
			results.callAndWaitSettings.push({ ...result, n8nEnv });
		}
	});

	finished = true;
	clearTimeout(watchdog);
	const text = write(false);
	say('');
	say(text);
	say('');
	say(`Total ${Math.round((Date.now() - started) / 1000)} s. Written: bench/results/${resultFile}`);
	// Exit explicitly: nothing of ours is left running, but a library's idle keep-alive socket must not hold the run.
	proc.exit(Object.keys(results.errors).length ? 1 : 0);
}

main().catch((error: unknown) => {
	proc.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	proc.exit(1);
});
