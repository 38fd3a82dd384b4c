/*
 * `npm run soak`: bulk sends through n8n's real engine (test/helpers/engine.ts, the action node
 * from the source) against an in-process emulator that injects faults at seeded random rates and
 * restarts once mid-run. It proves, from the emulator's own records, the node's two promises:
 * nobody is called twice, and every input item is accounted for (sent with a sessionId, or an
 * error item that says whether the call may have been placed). It also counts which answers were
 * followed by a retry: only "not accepted, try later" may be (auth failures never).
 *
 *   node .build/soak/soak.js [--notifications 1000] [--callbacks 200] [--seed 1] [--report file.json]
 *
 * Prints the table and exits 1 on any duplicate call, unaccounted item, forbidden retry, a fault
 * kind that was never injected (the run proved nothing about it) or a missed restart. Listens on
 * 127.0.0.1 only; every wait is bounded and a watchdog ends the run. See soak/README.md.
 *
 * Node's runtime comes from dev/node.cjs (n8n-node lint forbids Node globals in every .ts file).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { FAULT_KINDS, startEmulator, type Emulator, type EmulatorConfig, type FaultKind } from '../emulator';
import { clearTimeout, fs, path, proc, setTimeout } from '../dev/node.cjs';
import { actionWorkflow, runWorkflow } from '../test/helpers/engine';
import { accountRun, isAuthLabel, RETRY_ALLOWED, type RunAccount } from './accounting';

const NODE_NAME = 'Huawei Voice Call';
const DISPLAY = '+8675528000001';

/** Node options of every soak run: the defaults, but waits and the timeout scaled down so a run takes minutes. */
const NODE_OPTIONS = { maxConcurrent: 5, retryWait: 0.1, maxRetries: 6, timeout: 2 };

/** Fault rates per request (each kind about 10+ times in the default run; see soak/README.md). */
const FAULT_RATES: Record<FaultKind, number> = {
	resetBeforeAccept: 0.01,
	resetAfterAccept: 0.015,
	slowAnswer: 0.01,
	serverError: 0.01,
	gatewayError: 0.01,
	gatewayTimeout: 0.01,
	malformedJson: 0.01,
	flowControl: 0.03,
	portLimit: 0.03,
	authFailure: 0.015,
};

/** Past the node's timeout: the platform places the call, the node never sees the answer. */
const SLOW_ANSWER_MS = NODE_OPTIONS.timeout * 1000 + 1500;
const RESTART_DOWN_MS = 300;
const WATCHDOG_MS = 20 * 60_000;

interface SoakOptions {
	notifications: number;
	callbacks: number;
	seed: number;
	/** Restart the emulator once this share of the notification run's items has been requested. */
	restartAt: number;
	report?: string;
}

interface RunSpec {
	name: string;
	items: number;
	parameters: Record<string, unknown>;
	input: INodeExecutionData[];
	keys: string[];
	keyOfRequest: (body: Record<string, unknown>) => string;
}

function say(line = ''): void {
	proc.stdout.write(`${line}\n`);
}

/** Distinct E.164 numbers: prefix + an 8-digit index. */
const number = (prefix: string, index: number) => `${prefix}${String(index).padStart(8, '0')}`;

function notificationRun(count: number): RunSpec {
	const keys = Array.from({ length: count }, (_, i) => number('+86139', i));
	return {
		name: 'Voice Notification → Send',
		items: count,
		parameters: {
			resource: 'notification',
			operation: 'send',
			displayNbr: DISPLAY,
			calleeNbr: '={{ $json.phone }}',
			playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
			options: NODE_OPTIONS,
		},
		input: keys.map((phone) => ({ json: { phone } })),
		keys,
		keyOfRequest: (body) => String(body.calleeNbr),
	};
}

function callbackRun(count: number): RunSpec {
	const pairs = Array.from({ length: count }, (_, i) => ({ a: number('+86137', i), b: number('+86136', i) }));
	return {
		name: 'Voice Callback → Place Call',
		items: count,
		parameters: {
			resource: 'callback',
			operation: 'placeCall',
			callerNbr: '={{ $json.a }}',
			calleeNbr: '={{ $json.b }}',
			displayNbr: DISPLAY,
			options: NODE_OPTIONS,
		},
		input: pairs.map((pair) => ({ json: pair })),
		keys: pairs.map(({ a, b }) => `${a}|${b}`),
		keyOfRequest: (body) => `${String(body.callerNbr)}|${String(body.calleeNbr)}`,
	};
}

function emulatorConfig(seed: number): Partial<EmulatorConfig> {
	return {
		// Calls hold a port for about 7 simulated seconds (140 ms): the real port limit answers 1020165 too.
		timeScale: 0.02,
		ports: 20,
		defaultScript: { outcome: 'answer', ringSeconds: 3, talkSeconds: 2, digits: [], hangupBy: 'callee' },
		randomFaults: { seed, rates: FAULT_RATES, slowAnswerMs: SLOW_ANSWER_MS },
		logRequests: true,
	};
}

interface RunResult {
	spec: RunSpec;
	account: RunAccount;
	ms: number;
	/** Items refused while the emulator was down (connection refused: never reached it). */
	refusedWhileDown: number;
	nodeError?: string;
	secretInOutput: boolean;
}

async function runOne(emulator: Emulator, spec: RunSpec): Promise<{ output: INodeExecutionData[]; ms: number; nodeError?: string }> {
	const wf = actionWorkflow(spec.parameters, NODE_NAME);
	wf.nodes[0].onError = 'continueRegularOutput';
	const started = Date.now();
	const { run } = await runWorkflow(wf, {
		credentials: { huaweiVoiceCallApi: { baseUrl: emulator.baseUrl, appKey: emulator.config.appKey, appSecret: emulator.config.appSecret } },
		input: spec.input,
	});
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const error = task?.error ?? run.data.resultData.error;
	return { output: task?.data?.main?.[0] ?? [], ms: Date.now() - started, nodeError: error ? String(error.message) : undefined };
}

async function soak(options: SoakOptions): Promise<{ ok: boolean; text: string; report: object }> {
	let requestCount = 0;
	let restartTriggerAt = Number.POSITIVE_INFINITY;
	let restart: Promise<void> | undefined;
	let restartedAt: number | undefined;
	const emulator: Emulator = await startEmulator({
		config: emulatorConfig(options.seed),
		// One line per API request: the soak only counts them, to restart the emulator mid-run.
		log: () => {
			requestCount++;
			if (restartedAt === undefined && requestCount >= restartTriggerAt) {
				restartedAt = requestCount;
				// Not from inside the emulator's request handling: on the next turn of the event loop
				// (requests only come once startEmulator has returned, so `emulator` is set).
				restart = new Promise<void>((resolve, reject) => {
					setTimeout(() => emulator.restart({ downMs: RESTART_DOWN_MS }).then(resolve, reject), 0);
				});
			}
		},
	});
	const runs: RunResult[] = [];
	try {
		const specs = [notificationRun(options.notifications), ...(options.callbacks > 0 ? [callbackRun(options.callbacks)] : [])];
		for (const [index, spec] of specs.entries()) {
			say(`soak: ${spec.name}, ${spec.items} items …`);
			if (index === 0) restartTriggerAt = requestCount + Math.max(1, Math.round(spec.items * options.restartAt));
			const { output, ms, nodeError } = await runOne(emulator, spec);
			if (restart) await restart;
			// Slow answers are still held by the emulator: wait until every call has ended.
			await emulator.waitForIdle(60_000);
			const account = accountRun({ keys: spec.keys, output, calls: emulator.calls(), requests: emulator.requests(), keyOfRequest: spec.keyOfRequest });
			const refusedWhileDown = output.filter((item) => /ECONNREFUSED/.test(String(item.json.description ?? ''))).length;
			const secretInOutput = JSON.stringify(output).includes(emulator.config.appSecret);
			runs.push({ spec, account, ms, refusedWhileDown, nodeError, secretInOutput });
			say(`soak:   done in ${(ms / 1000).toFixed(1)} s`);
		}
	} finally {
		await emulator.stop();
	}
	return summarize(options, runs, restartedAt);
}

function sum(runs: RunResult[], pick: (run: RunResult) => number): number {
	return runs.reduce((total, run) => total + pick(run), 0);
}

function mergeTables(tables: Array<Record<string, number>>): Record<string, number> {
	const merged: Record<string, number> = {};
	for (const table of tables) for (const [key, value] of Object.entries(table)) merged[key] = (merged[key] ?? 0) + value;
	return merged;
}

function summarize(options: SoakOptions, runs: RunResult[], restartedAt: number | undefined): { ok: boolean; text: string; report: object } {
	const failures: string[] = [];
	const lines: string[] = [];
	const items = sum(runs, (r) => r.account.items);
	lines.push(
		`Soak: seed ${options.seed}, ${items} items (${runs.map((r) => `${r.account.items} × ${r.spec.name}`).join(', ')}); node options ${JSON.stringify(NODE_OPTIONS)}, slow answers ${SLOW_ANSWER_MS} ms`,
		'',
		'| Run | Items | Sent | Failed, may have been placed (placed) | Failed, not placed | Unaccounted | Calls placed | Duplicates | Requests | Time |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
	);
	for (const r of runs) {
		const a = r.account;
		lines.push(
			`| ${r.spec.name} | ${a.items} | ${a.outcomes.sent} | ${a.outcomes.failedMayHaveBeenPlaced} (${a.mayHaveBeenPlacedAndWas}) | ${a.outcomes.failedNotPlaced} | ${a.unaccounted} | ${a.callsPlaced} | ${a.duplicates} | ${a.requests} | ${(r.ms / 1000).toFixed(1)} s |`,
		);
		if (r.nodeError) failures.push(`${r.spec.name}: the node failed: ${r.nodeError}`);
		if (r.secretInOutput) failures.push(`${r.spec.name}: the APP_Secret appears in the output items`);
		for (const problem of r.account.problems.slice(0, 20)) {
			failures.push(`${r.spec.name}: ${problem.item !== undefined ? `item ${problem.item} ` : ''}${problem.callee ? `(${problem.callee}) ` : ''}${problem.what}`);
		}
		if (r.account.problems.length > 20) failures.push(`${r.spec.name}: … and ${r.account.problems.length - 20} more problems`);
	}
	const duplicates = sum(runs, (r) => r.account.duplicates);
	const unaccounted = sum(runs, (r) => r.account.unaccounted);
	lines.push(
		`| **All** | ${items} | ${sum(runs, (r) => r.account.outcomes.sent)} | ${sum(runs, (r) => r.account.outcomes.failedMayHaveBeenPlaced)} (${sum(runs, (r) => r.account.mayHaveBeenPlacedAndWas)}) | ${sum(runs, (r) => r.account.outcomes.failedNotPlaced)} | **${unaccounted}** | ${sum(runs, (r) => r.account.callsPlaced)} | **${duplicates}** | ${sum(runs, (r) => r.account.requests)} | ${(sum(runs, (r) => r.ms) / 1000).toFixed(1)} s |`,
	);

	// Faults injected, per kind (the emulator's request log), and the restart.
	const injected = mergeTables(runs.map((r) => r.account.faultsInjected));
	const cut = sum(runs, (r) => r.account.cutByRestart);
	const refused = sum(runs, (r) => r.refusedWhileDown);
	lines.push('', '| Fault injected | Requests |', '| --- | --- |');
	for (const kind of FAULT_KINDS) {
		lines.push(`| ${kind} | ${injected[kind] ?? 0} |`);
		if (FAULT_RATES[kind] > 0 && !(injected[kind] > 0)) failures.push(`fault ${kind} was never injected: the run proved nothing about it`);
	}
	lines.push(
		`| restart (down ${RESTART_DOWN_MS} ms, after request ${restartedAt ?? '-'}) | ${restartedAt === undefined ? 0 : 1}: ${cut} request(s) cut, ${refused} item(s) refused while down |`,
	);
	if (restartedAt === undefined) failures.push('the emulator was never restarted');

	// Retries: which answers were followed by another request for the same callee.
	const answers = mergeTables(runs.map((r) => r.account.answers));
	const retries = mergeTables(runs.map((r) => r.account.retriesAfter));
	lines.push('', '| Answer | Times | Followed by a retry | Retry allowed |', '| --- | --- | --- | --- |');
	const labels = Object.keys(answers).sort((a, b) => answers[b] - answers[a] || a.localeCompare(b));
	let authAnswers = 0;
	let authRetries = 0;
	for (const label of labels) {
		const allowed = RETRY_ALLOWED.has(label);
		const retried = retries[label] ?? 0;
		if (isAuthLabel(label)) {
			authAnswers += answers[label];
			authRetries += retried;
		}
		lines.push(`| ${label}${isAuthLabel(label) ? ' (auth)' : ''} | ${answers[label]} | ${retried} | ${allowed ? 'yes' : 'no'} |`);
		if (!allowed && retried > 0) failures.push(`${retried} answer(s) "${label}" were followed by a retry: only "not accepted" answers may be`);
	}
	lines.push('', `Auth failures: ${authAnswers} answers, ${authRetries} retries.`);
	if (authAnswers === 0) failures.push('no auth failure was answered: the run proved nothing about them');

	const ok = failures.length === 0;
	lines.push('', ok ? `Result: PASS (duplicates 0, unaccounted 0)` : `Result: FAIL (duplicates ${duplicates}, unaccounted ${unaccounted})`);
	for (const failure of failures) lines.push(`  - ${failure}`);
	const report = {
		ok,
		seed: options.seed,
		nodeOptions: NODE_OPTIONS,
		faultRates: FAULT_RATES,
		slowAnswerMs: SLOW_ANSWER_MS,
		restart: { afterRequest: restartedAt ?? null, downMs: RESTART_DOWN_MS, cut, refused },
		runs: runs.map((r) => ({ name: r.spec.name, ms: r.ms, ...r.account, problems: r.account.problems.slice(0, 100) })),
		faultsInjected: injected,
		answers,
		retriesAfter: retries,
		auth: { answers: authAnswers, retries: authRetries },
		failures,
	};
	return { ok, text: lines.join('\n'), report };
}

function parseArgs(argv: string[]): SoakOptions {
	const options: SoakOptions = { notifications: 1000, callbacks: 200, seed: 1, restartAt: 0.4 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, value] = [argv[i], argv[i + 1]];
		const int = () => {
			const parsed = Number(value);
			if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${flag} needs a whole number, got "${value}"`);
			i++;
			return parsed;
		};
		if (flag === '--notifications') options.notifications = int();
		else if (flag === '--callbacks') options.callbacks = int();
		else if (flag === '--seed') options.seed = int();
		else if (flag === '--report') {
			options.report = value;
			i++;
		} else throw new Error(`Unknown option ${flag} (known: --notifications, --callbacks, --seed, --report)`);
	}
	if (options.notifications < 1) throw new Error('--notifications must be at least 1 (the restart happens in that run)');
	return options;
}

async function main(): Promise<number> {
	const options = parseArgs(proc.argv.slice(2));
	const watchdog = setTimeout(() => {
		proc.stderr.write(`soak: still running after ${WATCHDOG_MS / 60_000} minutes, giving up\n`);
		proc.exit(2);
	}, WATCHDOG_MS);
	try {
		const { ok, text, report } = await soak(options);
		say('');
		say(text);
		if (options.report) {
			fs.mkdirSync(path.dirname(path.resolve(options.report)), { recursive: true });
			fs.writeFileSync(options.report, `${JSON.stringify(report, null, '\t')}\n`);
			say(`\nReport: ${options.report}`);
		}
		return ok ? 0 : 1;
	} finally {
		clearTimeout(watchdog);
	}
}

main().then(
	(code) => {
		proc.exitCode = code;
	},
	(error: unknown) => {
		proc.stderr.write(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		proc.exitCode = 2;
	},
);
