/**
 * Programmatic entry point of the Huawei Voice Call platform emulator (used by tests, e2e and
 * benchmarks; the CLI wraps it). See emulator/README.md.
 */
import { CallManager, type EmulatedCall } from './calls';
import { checkConfig, defaultConfig, mergeConfig, type EmulatorConfig } from './config';
import { PushManager } from './pushes';
import { RecordingStore } from './recordings';
import { CONSOLE_PATH } from './console';
import type { RequestLogEntry, ServerContext } from './context';
import { FaultInjector } from './faults';
import { createEmulatorServer } from './server';
import { TimerSet } from './timers';

export type { CallEvent, CallState, EmulatedCallType, DisconnectInfo, EmulatedCall } from './calls';
export type { ScriptOutcome, CallScript, EmulatorConfig, EndpointName, FaultKind, FaultSpec, RandomFaults, TimingConfig } from './config';
export { defaultConfig, FAULT_KINDS } from './config';
export { AUTH_FAILURE_CODES } from './faults';
export type { PushAttempt, PushDelivery } from './pushes';
export type { RequestLogEntry } from './context';
export { CONSOLE_PATH } from './console';

export interface StartOptions {
	/** Listen address (default 127.0.0.1). */
	host?: string;
	/** Listen port; 0 (default) = a free port. */
	port?: number;
	config?: Partial<EmulatorConfig>;
	/** Receives one line per API request when config.logRequests is true. */
	log?: (line: string) => void;
}

export interface Emulator {
	/** e.g. http://127.0.0.1:43123 */
	baseUrl: string;
	/** The web console, `${baseUrl}/emulator/console`. */
	consoleUrl: string;
	/** The live configuration (mutating it directly works, configure() also validates). */
	config: EmulatorConfig;
	configure(patch: Partial<EmulatorConfig>): void;
	/** Forget calls, requests and pushes, free all ports, cancel simulation timers. */
	reset(): void;
	calls(): EmulatedCall[];
	requests(): RequestLogEntry[];
	/** `ended`: disconnect happened; `settled`: ended and every push delivered or given up. */
	waitForCall(sessionId: string, until: 'ended' | 'settled', timeoutMs?: number): Promise<EmulatedCall>;
	/** Resolves when every call is settled and no CDR waits in a merge bucket. */
	waitForIdle(timeoutMs?: number): Promise<void>;
	answer(sessionId: string): void;
	/** Decline the ringing leg (409 ControlError when it is not ringing). */
	reject(sessionId: string): void;
	pressDigits(sessionId: string, digits: string): void;
	hangUp(sessionId: string, party?: 'caller' | 'callee'): void;
	/**
	 * Restarts the HTTP side on the same port, as a platform process that goes down and comes back:
	 * every open connection is reset (a request in progress is abandoned where it stands; a call
	 * already placed stays placed), connections are refused for `downMs`, then it listens again.
	 * Calls, their simulation and pushes, the request log and the configuration are kept.
	 */
	restart(options?: { downMs?: number }): Promise<void>;
	/** Closes the server and every socket, cancels all timers and pushes. */
	stop(): Promise<void>;
}

const DEFAULT_WAIT_MS = 10000;

function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') ? `[${host}]` : host;
}

export async function startEmulator(options: StartOptions = {}): Promise<Emulator> {
	const config = defaultConfig();
	mergeConfig(config, options.config ?? {});
	checkConfig(config);
	const host = options.host ?? '127.0.0.1';

	// Simulation timers (calls, CDR merge and retries) die on reset; I/O timers (fault delays, waits) only on stop.
	const simTimers = new TimerSet();
	const ioTimers = new TimerSet();
	const recordings = new RecordingStore();
	const requests: RequestLogEntry[] = [];
	const faults = new FaultInjector(() => config);
	let generation = 0;
	const inFlight = new Set<RequestLogEntry>();
	let baseUrl = '';
	let stopped = false;

	// The push manager reports progress through the call manager's emitter, which the waits listen to.
	const onPushUpdate = (): void => {
		calls.events.emit('change');
	};
	const pushes = new PushManager(() => config, simTimers, onPushUpdate);
	const recordDomain = (): string => config.recordDomain ?? baseUrl.replace(/^https?:\/\//, '');
	const calls = new CallManager({
		getConfig: () => config,
		timers: simTimers,
		pushes,
		recordings,
		baseUrl: () => baseUrl,
		recordDomain,
	});

	const configure = (patch: Partial<EmulatorConfig>): void => {
		// Validate on a copy first so a bad PATCH leaves the live config untouched.
		mergeConfig(JSON.parse(JSON.stringify(config)) as EmulatorConfig, patch);
		mergeConfig(config, patch);
		if (patch.faults !== undefined) faults.resetFixed();
		if (patch.randomFaults !== undefined) faults.resetRandom();
		// The console shows the scripts live.
		calls.events.emit('change');
	};

	const reset = (): void => {
		simTimers.cancelAll();
		pushes.reset();
		calls.reset();
		recordings.clear();
		requests.length = 0;
		faults.resetFixed();
		faults.resetRandom();
	};

	const ctx: ServerContext = {
		config,
		calls,
		recordings,
		ioTimers,
		requests,
		faults,
		inFlight,
		generation: () => generation,
		baseUrl: () => baseUrl,
		recordDomain,
		reset,
		configure,
		log: options.log,
	};
	const { server, closeAll } = createEmulatorServer(ctx);
	const listen = (port: number) =>
		new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
	await listen(options.port ?? 0);
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	baseUrl = `http://${urlHost(host)}:${port}`;

	/** Event-driven wait: re-checks on every simulation change, rejects on timeout or stop. */
	const waitUntil = (check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> => {
		try {
			if (check()) return Promise.resolve();
		} catch (error) {
			return Promise.reject(error);
		}
		if (stopped) return Promise.reject(new Error('The emulator is stopped.'));
		return new Promise((resolve, reject) => {
			const onChange = (): void => {
				let done: boolean;
				try {
					done = check();
				} catch (error) {
					cleanup();
					reject(error);
					return;
				}
				if (done) {
					cleanup();
					resolve();
				}
			};
			const onStop = (): void => {
				cleanup();
				reject(new Error(`The emulator stopped while waiting for ${describe()}`));
			};
			const cancel = ioTimers.schedule(() => {
				cleanup();
				reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`));
			}, timeoutMs);
			const cleanup = (): void => {
				cancel();
				calls.events.off('change', onChange);
				calls.events.off('stop', onStop);
			};
			calls.events.on('change', onChange);
			calls.events.on('stop', onStop);
		});
	};

	/** Emulator.restart: cut every open request, close, stay down, listen on the same port again. */
	let restarting: Promise<void> | undefined;
	const restartServer = async (downMs: number): Promise<void> => {
		generation++;
		for (const entry of inFlight) {
			entry.fault = entry.fault ? `${entry.fault}, cut by restart` : 'cut by restart';
			if (config.logRequests) options.log?.(`${entry.time} ${entry.method} ${entry.path} → cut by restart`);
		}
		inFlight.clear();
		await closeAll();
		if (downMs > 0) await ioTimers.sleep(downMs);
		if (stopped) return;
		await listen(port);
		calls.events.emit('change');
	};

	const emulator: Emulator = {
		baseUrl,
		consoleUrl: `${baseUrl}${CONSOLE_PATH}`,
		config,
		configure,
		reset,
		calls: () => calls.list(),
		requests: () => JSON.parse(JSON.stringify(requests)) as RequestLogEntry[],
		async waitForCall(sessionId, until, timeoutMs = DEFAULT_WAIT_MS) {
			const check = (): boolean => {
				const call = calls.peek(sessionId);
				if (!call) throw new Error(`No call ${sessionId} (never placed, or forgotten by reset).`);
				return until === 'ended' ? call.state === 'ended' : call.settled;
			};
			await waitUntil(check, timeoutMs, () => {
				const call = calls.peek(sessionId);
				return `call ${sessionId} to be ${until} (now ${call ? `${call.phase}, settled=${String(call.settled)}` : 'gone'})`;
			});
			return calls.get(sessionId) as EmulatedCall;
		},
		async waitForIdle(timeoutMs = DEFAULT_WAIT_MS) {
			await waitUntil(
				() => calls.allSettled() && pushes.pendingBuckets === 0,
				timeoutMs,
				() => `every call to settle (${calls.list().filter((c) => !c.settled).length} not settled)`,
			);
		},
		answer: (sessionId) => calls.answer(sessionId),
		reject: (sessionId) => calls.reject(sessionId),
		pressDigits: (sessionId, digits) => calls.pressDigits(sessionId, digits),
		hangUp: (sessionId, party) => calls.hangUp(sessionId, party),
		restart({ downMs = 0 } = {}) {
			if (stopped) return Promise.reject(new Error('The emulator is stopped.'));
			// One restart at a time: a second call while it is down joins the first.
			restarting ??= restartServer(downMs).finally(() => {
				restarting = undefined;
			});
			return restarting;
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			simTimers.cancelAll();
			ioTimers.cancelAll();
			calls.events.emit('stop');
			await pushes.close();
			calls.reset();
			await closeAll();
		},
	};
	return emulator;
}
