/**
 * Call simulation (docs/platform.md §8.3, §8.4, §11, §13.5–§13.7): ports, scripted legs, status events, the
 * disconnect and the CDR.
 *
 * Each call keeps a simulated clock. A scripted step advances it by exactly its simulated length
 * (whatever the real timer jitter), so CDR times are exact; an outside action (control API,
 * callStop) advances it by the real time elapsed divided by timeScale. Real waits are the simulated
 * ones multiplied by timeScale.
 */
import { randomBytes } from 'crypto';
import { events as nodeEvents } from '../dev/node.cjs';
import { describeHangupCause } from '../nodes/shared/codes';
import { DTMF_KEYS_PATTERN } from '../nodes/shared/platform/fields';
import { formatPlatformTime } from '../nodes/shared/platform/time';
import { scriptFor, type CallScript, type EmulatorConfig } from './config';
import type { PushDelivery, PushManager } from './pushes';
import type { RecordingStore } from './recordings';
import type { TimerSet } from './timers';
import { decodeNotifyUrl, type Body } from './validate';

export type EmulatedCallType = 'callback' | 'notify' | 'verify';
export type CallState = 'calling' | 'ringing' | 'answered' | 'ended';
export type LegName = 'A' | 'B' | 'callee';
type FailOutcome = 'noAnswer' | 'busy' | 'powerOff' | 'reject' | 'invalidNumber';

export interface CallEvent {
	/** Pushed events use the §8.3 eventType; internal ones: playback, lastMinuteTone, recordingStarted, control. */
	type: string;
	leg?: LegName;
	/** Whether the event is a status notification (pushed when a status URL is known). */
	pushed: boolean;
	/** Simulated time, UTC `yyyy-MM-dd HH:mm:ss` (the notification format). */
	time: string;
	/** Simulated time, ISO with milliseconds. */
	simTime: string;
	/** Wall-clock time the emulator produced the event. */
	realTime: string;
	statusInfo?: Record<string, unknown>;
	note?: string;
}

export interface DisconnectInfo {
	stateCode: number;
	stateDesc: string;
	partyType?: string;
	ulFailReason: number;
}

export interface EmulatedCall {
	sessionId: string;
	type: EmulatedCallType;
	request: Body;
	/** The scripts in effect: callback { A, B }, notify/verify { callee }. */
	script: Partial<Record<LegName, CallScript>>;
	state: CallState;
	/** Finer step: calloutA, ringingA, preVoice, calloutB, ringingB, talking, callout, ringing, playing, collecting, ended. */
	phase: string;
	statusUrl: string | null;
	feeUrl: string | null;
	acceptedAt: string;
	endedAt: string | null;
	/** Ended, and every push delivered or given up. */
	settled: boolean;
	events: CallEvent[];
	pushes: PushDelivery[];
	disconnect: DisconnectInfo | null;
	digitsCollected: string[];
	cdr: Record<string, unknown> | null;
}

export class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

type Interrupt =
	| { type: 'timer' }
	| { type: 'terminate' }
	| { type: 'answer' }
	| { type: 'hangup'; party?: 'caller' | 'callee' }
	| { type: 'digits'; digits: string };

interface LegTimes {
	start?: number;
	alerting?: number;
	answer?: number;
}

type LegResult = { kind: 'answered' } | { kind: 'terminated' } | { kind: 'failed'; outcome: FailOutcome; by: 'user' | 'network' };

interface EndCause {
	stateCode: number;
	ulFailReason: number;
	partyType?: '1' | '2' | '3';
	failedLeg?: LegName;
	q850?: number;
	sip?: number;
}

interface Runtime {
	call: EmulatedCall;
	simStartMs: number;
	simOffsetMs: number;
	lastRealMs: number;
	/** Simulated length (ms) of the wait in progress. */
	waitLimitMs: number;
	waiter: ((interrupt: Interrupt) => void) | null;
	queuedInterrupt: Interrupt | null;
	pendingDigits: string[];
	statusChain: Promise<void>;
	statusPending: number;
	cdrDone: boolean;
	portHeld: boolean;
	legs: Partial<Record<LegName, LegTimes>>;
	ivrStart?: number;
	talkStart?: number;
	ttsPlayTimes: number;
	seq: number;
}

/** Per failure: hang-up cause for a callee-side leg (B, notify) and for A, Q.850 cause, SIP status. */
const FAILURES: Record<FailOutcome, { callee: number; caller: number; q850: number; sip: number }> = {
	noAnswer: { callee: 8101, caller: 8003, q850: 19, sip: 480 },
	busy: { callee: 8102, caller: 8108, q850: 17, sip: 486 },
	powerOff: { callee: 8104, caller: 8110, q850: 20, sip: 480 },
	reject: { callee: 8105, caller: 8111, q850: 21, sip: 603 },
	invalidNumber: { callee: 8100, caller: 8100, q850: 1, sip: 404 },
};

/** Endless replays are possible on the platform; the emulator stops a segment after this many. */
const MAX_REPLAYS = 10;
/** `times: 0` means "repeat forever" for verification codes; the emulator reads it this many times. */
const VERIFY_FOREVER_PLAYS = 10;
/** Recording produces no file for calls shorter than this (docs/platform.md §4.1: about 3 s). */
const MIN_RECORDED_TALK_MS = 3000;

function compactUtc(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

export function stateDescOf(stateCode: number): string {
	// 0 uses the platform's documented real text (§8.3 example); others come from the shared table.
	if (stateCode === 0) return 'The user releases the call.';
	return describeHangupCause(stateCode)?.en ?? 'Unknown cause.';
}

export interface CallManagerDeps {
	getConfig: () => EmulatorConfig;
	timers: TimerSet;
	pushes: PushManager;
	recordings: RecordingStore;
	/** Base URL of the emulator (recording download URLs) and the default recordDomain. */
	baseUrl: () => string;
	recordDomain: () => string;
}

export class CallManager {
	readonly events = new nodeEvents.EventEmitter();
	private runtimes = new Map<string, Runtime>();
	private seq = 100 + Math.floor(Math.random() * 900);

	constructor(private readonly deps: CallManagerDeps) {
		this.events.setMaxListeners(0);
	}

	private get config(): EmulatorConfig {
		return this.deps.getConfig();
	}

	activePorts(): number {
		let n = 0;
		for (const rt of this.runtimes.values()) if (rt.portHeld) n++;
		return n;
	}

	/** Copies of the calls in placing order; `newest` keeps only that many of the latest. */
	list(newest?: number): EmulatedCall[] {
		const all = [...this.runtimes.values()];
		return (newest === undefined ? all : all.slice(-newest)).map((rt) => clone(rt.call));
	}

	get size(): number {
		return this.runtimes.size;
	}

	get(sessionId: string): EmulatedCall | undefined {
		const rt = this.runtimes.get(sessionId);
		return rt ? clone(rt.call) : undefined;
	}

	isLive(sessionId: string): boolean {
		const rt = this.runtimes.get(sessionId);
		return rt !== undefined && rt.call.state !== 'ended';
	}

	allSettled(): boolean {
		for (const rt of this.runtimes.values()) if (!rt.call.settled) return false;
		return true;
	}

	/** Forget every call and free every port; the caller cancels timers and pushes. */
	reset(): void {
		this.runtimes = new Map();
		this.changed();
	}

	/** Accepts a call: takes a port (or returns null when none is free) and starts its script. */
	place(type: EmulatedCallType, request: Body): { sessionId: string; idlePort: number } | null {
		const config = this.config;
		if (this.activePorts() >= config.ports) return null;
		const nowMs = Date.now();
		const seq = ++this.seq;
		const prefix = { callback: '1202', notify: '1201', verify: '1203' }[type];
		const middle = type === 'callback' ? '0' : '4294967295';
		const sessionId = `${prefix}_${seq}_${middle}_${compactUtc(nowMs)}@${config.hostName}`;
		const statusUrl = typeof request.statusUrl === 'string' ? decodeNotifyUrl(request.statusUrl) : config.statusUrl;
		const feeUrl = typeof request.feeUrl === 'string' ? decodeNotifyUrl(request.feeUrl) : config.feeUrl;
		const script: Partial<Record<LegName, CallScript>> =
			type === 'callback'
				? { A: scriptFor(config, String(request.callerNbr)), B: scriptFor(config, String(request.calleeNbr)) }
				: { callee: scriptFor(config, String(request.calleeNbr)) };
		const call: EmulatedCall = {
			sessionId,
			type,
			request: clone(request),
			script,
			state: 'calling',
			phase: 'accepted',
			statusUrl: statusUrl || null,
			feeUrl: feeUrl || null,
			acceptedAt: new Date(nowMs).toISOString(),
			endedAt: null,
			settled: false,
			events: [],
			pushes: [],
			disconnect: null,
			digitsCollected: [],
			cdr: null,
		};
		const rt: Runtime = {
			call,
			simStartMs: config.simulatedStartTime ? Date.parse(config.simulatedStartTime) : nowMs,
			simOffsetMs: 0,
			lastRealMs: nowMs,
			waitLimitMs: 0,
			waiter: null,
			queuedInterrupt: null,
			pendingDigits: [],
			statusChain: Promise.resolve(),
			statusPending: 0,
			cdrDone: false,
			portHeld: true,
			legs: {},
			ttsPlayTimes: 0,
			seq,
		};
		this.runtimes.set(sessionId, rt);
		const idlePort = Math.max(0, config.ports - this.activePorts());
		const run = type === 'callback' ? this.runCallback(rt) : type === 'notify' ? this.runNotify(rt) : this.runVerify(rt);
		run.catch((error: unknown) => {
			// A bug in the script must not leave a call (and its port) hanging forever.
			if (rt.call.state !== 'ended') this.finish(rt, { stateCode: 8000, ulFailReason: 0, partyType: '3' });
			this.addEvent(rt, 'control', false, undefined, undefined, `internal error: ${String(error)}`);
		});
		this.changed();
		return { sessionId, idlePort };
	}

	/** callStop: true when a live call was found and is being released. */
	terminate(sessionId: string): boolean {
		const rt = this.runtimes.get(sessionId);
		if (!rt || rt.call.state === 'ended') return false;
		this.interrupt(rt, { type: 'terminate' });
		return true;
	}

	answer(sessionId: string): void {
		const rt = this.live(sessionId);
		if (rt.call.state !== 'ringing') throw new ControlError(409, `The call is ${rt.call.phase}, not ringing.`);
		this.controlEvent(rt, 'answer');
		this.interrupt(rt, { type: 'answer' });
	}

	/**
	 * The ringing person declines: the same outcome as a scripted `reject` (8105 / A leg 8111,
	 * Q.850 21, SIP 603). Unlike a hang-up, it is refused (409) once the call is no longer ringing,
	 * so a late click cannot end an answered call as a normal hang-up.
	 */
	reject(sessionId: string): void {
		const rt = this.live(sessionId);
		if (rt.call.state !== 'ringing') throw new ControlError(409, `The call is ${rt.call.phase}, not ringing.`);
		this.controlEvent(rt, 'reject');
		this.interrupt(rt, { type: 'hangup' });
	}

	pressDigits(sessionId: string, digits: string): void {
		if (typeof digits !== 'string' || !DTMF_KEYS_PATTERN.test(digits)) {
			throw new ControlError(400, 'digits must be 1 to 32 of 0-9, * and #.');
		}
		const rt = this.live(sessionId);
		if (rt.call.type !== 'notify') throw new ControlError(409, 'Only voice notifications collect digits.');
		this.controlEvent(rt, `digits ${digits}`);
		if (rt.call.phase === 'collecting') {
			this.interrupt(rt, { type: 'digits', digits });
		} else {
			// Pressed before the collection started: used by the next collecting segment.
			rt.pendingDigits.push(digits);
		}
	}

	hangUp(sessionId: string, party?: 'caller' | 'callee'): void {
		const rt = this.live(sessionId);
		this.controlEvent(rt, `hangup ${party ?? ''}`.trim());
		this.interrupt(rt, { type: 'hangup', party });
	}

	/** The live call object (no copy): for cheap checks by the wait helpers. */
	peek(sessionId: string): Readonly<EmulatedCall> | undefined {
		return this.runtimes.get(sessionId)?.call;
	}

	private live(sessionId: string): Runtime {
		const rt = this.runtimes.get(sessionId);
		if (!rt) throw new ControlError(404, `No call ${sessionId}.`);
		if (rt.call.state === 'ended') throw new ControlError(409, 'The call has ended.');
		return rt;
	}

	private changed(): void {
		this.events.emit('change');
	}

	private interrupt(rt: Runtime, interrupt: Interrupt): void {
		if (rt.waiter) rt.waiter(interrupt);
		else rt.queuedInterrupt = interrupt;
	}

	private simNow(rt: Runtime): number {
		return rt.simStartMs + rt.simOffsetMs;
	}

	/** The call's clock right now, inside a wait too: when a person acted through the control API. */
	private liveSimNow(rt: Runtime): number {
		if (!rt.waiter) return this.simNow(rt);
		return this.simNow(rt) + Math.min((Date.now() - rt.lastRealMs) / this.config.timeScale, rt.waitLimitMs);
	}

	/** Records an action of the control API (the console's buttons) at the moment it happened. */
	private controlEvent(rt: Runtime, note: string): void {
		this.addEvent(rt, 'control', false, undefined, undefined, note, this.liveSimNow(rt));
	}

	/** Manual waits are real time; this converts them to the simulated seconds the clock needs. */
	private manualSeconds(): number {
		return this.config.manualTimeoutMs / 1000 / this.config.timeScale;
	}

	/** Waits `seconds` of simulated time or until an interrupt, advancing the call's clock accordingly. */
	private wait(rt: Runtime, seconds: number): Promise<Interrupt> {
		return new Promise((resolve) => {
			rt.lastRealMs = Date.now();
			rt.waitLimitMs = seconds * 1000;
			let done = false;
			const finish = (interrupt: Interrupt): void => {
				if (done) return;
				done = true;
				rt.waiter = null;
				cancel();
				if (interrupt.type === 'timer') {
					rt.simOffsetMs += seconds * 1000;
				} else {
					const elapsed = (Date.now() - rt.lastRealMs) / this.config.timeScale;
					rt.simOffsetMs += Math.min(elapsed, seconds * 1000);
				}
				resolve(interrupt);
			};
			const cancel = this.deps.timers.schedule(
				() => finish({ type: 'timer' }),
				seconds * 1000 * this.config.timeScale,
			);
			rt.waiter = finish;
			if (rt.queuedInterrupt) {
				const queued = rt.queuedInterrupt;
				rt.queuedInterrupt = null;
				finish(queued);
			}
		});
	}

	private setPhase(rt: Runtime, state: CallState, phase: string): void {
		rt.call.state = state;
		rt.call.phase = phase;
		this.changed();
	}

	private addEvent(
		rt: Runtime,
		type: string,
		pushed: boolean,
		leg?: LegName,
		statusInfo?: Record<string, unknown>,
		note?: string,
		sim: number = this.simNow(rt),
	): void {
		rt.call.events.push({
			type,
			leg,
			pushed,
			time: formatPlatformTime(sim),
			simTime: new Date(sim).toISOString(),
			realTime: new Date().toISOString(),
			statusInfo,
			note,
		});
		this.changed();
	}

	/** Records a status event and queues its push behind the call's earlier ones (order per call). */
	private emitStatus(rt: Runtime, eventType: string, leg: LegName | undefined, fields: Record<string, unknown>): void {
		const statusInfo: Record<string, unknown> = {
			sessionId: rt.call.sessionId,
			timestamp: formatPlatformTime(this.simNow(rt)),
			...fields,
		};
		if (typeof rt.call.request.userData === 'string') statusInfo.userData = rt.call.request.userData;
		this.addEvent(rt, eventType, true, leg, statusInfo);
		const url = rt.call.statusUrl;
		if (!url) return;
		const delivery = this.deps.pushes.newDelivery('status', eventType, url, { eventType, statusInfo });
		rt.call.pushes.push(delivery);
		rt.statusPending++;
		rt.statusChain = rt.statusChain
			.then(() => this.deps.pushes.sendStatus(delivery))
			.then(() => {
				rt.statusPending--;
				this.checkSettled(rt);
			});
	}

	private checkSettled(rt: Runtime): void {
		const settled = rt.call.state === 'ended' && rt.statusPending === 0 && rt.cdrDone;
		if (settled !== rt.call.settled) {
			rt.call.settled = settled;
		}
		this.changed();
	}

	/** Dials one leg: callout, then alerting/answer or a failure, per its script. */
	private async dial(rt: Runtime, leg: LegName, caller: string, called: string, script: CallScript): Promise<LegResult> {
		const timing = this.config.timing;
		const suffix = leg === 'callee' ? '' : leg;
		const times: LegTimes = {};
		rt.legs[leg] = times;
		this.setPhase(rt, 'calling', `callout${suffix}`);
		times.start = this.simNow(rt);
		this.emitStatus(rt, 'callout', leg, { caller, called });
		const outcome = script.outcome;
		let interrupt = await this.wait(rt, timing.calloutToAlertSeconds);
		if (interrupt.type === 'terminate') return { kind: 'terminated' };
		if (interrupt.type === 'hangup') return { kind: 'failed', outcome: 'reject', by: 'user' };
		if (outcome === 'busy' || outcome === 'powerOff' || outcome === 'invalidNumber') {
			return { kind: 'failed', outcome, by: outcome === 'busy' ? 'user' : 'network' };
		}
		times.alerting = this.simNow(rt);
		this.setPhase(rt, 'ringing', `ringing${suffix}`);
		this.emitStatus(rt, 'alerting', leg, { caller, called });
		interrupt = await this.wait(rt, outcome === 'manual' ? this.manualSeconds() : script.ringSeconds);
		if (interrupt.type === 'terminate') return { kind: 'terminated' };
		if (interrupt.type === 'hangup') return { kind: 'failed', outcome: 'reject', by: 'user' };
		if (interrupt.type === 'timer' && outcome !== 'answer') {
			return outcome === 'reject'
				? { kind: 'failed', outcome: 'reject', by: 'user' }
				: { kind: 'failed', outcome: 'noAnswer', by: 'network' };
		}
		times.answer = this.simNow(rt);
		this.setPhase(rt, 'answered', leg === 'A' ? 'answeredA' : 'answered');
		this.emitStatus(rt, 'answer', leg, { caller, called });
		return { kind: 'answered' };
	}

	private terminated(rt: Runtime): void {
		this.finish(rt, { stateCode: 8017, ulFailReason: 0, partyType: '3' });
	}

	private failed(rt: Runtime, leg: LegName, result: { outcome: FailOutcome; by: 'user' | 'network' }): void {
		const f = FAILURES[result.outcome];
		const isA = leg === 'A';
		let ulFailReason: number;
		if (result.outcome === 'noAnswer') ulFailReason = 514;
		else if (isA) ulFailReason = result.outcome === 'reject' ? 520 : 519;
		else ulFailReason = 518;
		const partyType = result.by === 'user' ? (isA ? '1' : '2') : '3';
		this.finish(rt, {
			stateCode: isA ? f.caller : f.callee,
			ulFailReason,
			partyType,
			failedLeg: leg,
			q850: f.q850,
			sip: f.sip,
		});
	}

	private async runCallback(rt: Runtime): Promise<void> {
		const req = rt.call.request;
		const scriptA = rt.call.script.A as CallScript;
		const scriptB = rt.call.script.B as CallScript;
		const a = await this.dial(rt, 'A', String(req.displayNbr), String(req.callerNbr), scriptA);
		if (a.kind === 'terminated') return this.terminated(rt);
		if (a.kind === 'failed') return this.failed(rt, 'A', a);

		if (req.playPreVoice === 'true') {
			this.setPhase(rt, 'answered', 'preVoice');
			this.addEvent(rt, 'playback', false, 'A', undefined, String(req.preVoice ?? 'system pre-voice'));
			const interrupt = await this.wait(rt, this.config.timing.preVoiceSeconds);
			if (interrupt.type === 'terminate') return this.terminated(rt);
			if (interrupt.type === 'hangup') {
				return this.finish(rt, { stateCode: 8009, ulFailReason: 530, partyType: '1' });
			}
		}

		const b = await this.dial(rt, 'B', String(req.displayCalleeNbr), String(req.calleeNbr), scriptB);
		if (b.kind === 'terminated') return this.terminated(rt);
		if (b.kind === 'failed') return this.failed(rt, 'B', b);

		this.setPhase(rt, 'answered', 'talking');
		rt.talkStart = this.simNow(rt);
		if (req.recordFlag === 'true') {
			this.addEvent(rt, 'recordingStarted', false, undefined, undefined, String(req.recordHintTone ?? 'system hint tone'));
		}
		const manual = scriptA.outcome === 'manual' || scriptB.outcome === 'manual';
		const target = manual ? this.manualSeconds() : scriptB.talkSeconds;
		const maxDuration = typeof req.maxDuration === 'number' ? req.maxDuration : 0;
		const limit = maxDuration > 0 ? maxDuration * 60 : Infinity;
		let elapsed = 0;
		let interrupt: Interrupt = { type: 'timer' };
		if (limit !== Infinity && limit - 60 < target && limit >= 60) {
			interrupt = await this.wait(rt, limit - 60);
			if (interrupt.type === 'timer') {
				elapsed = limit - 60;
				this.addEvent(rt, 'lastMinuteTone', false, undefined, undefined, `${String(req.lastMinVoice ?? 'system tone')} to ${String(req.lastMinToUE ?? 'both')}`);
			}
		}
		if (interrupt.type === 'timer') interrupt = await this.wait(rt, Math.min(target, limit) - elapsed);
		if (interrupt.type === 'terminate') return this.terminated(rt);
		if (interrupt.type === 'hangup') {
			return this.finish(rt, { stateCode: 0, ulFailReason: 0, partyType: interrupt.party === 'caller' ? '1' : '2' });
		}
		if (limit <= target) return this.finish(rt, { stateCode: 8010, ulFailReason: 0, partyType: '3' });
		if (manual) return this.finish(rt, { stateCode: 0, ulFailReason: 0, partyType: '3' });
		this.finish(rt, { stateCode: 0, ulFailReason: 0, partyType: scriptB.hangupBy === 'caller' ? '1' : '2' });
	}

	private async runNotify(rt: Runtime): Promise<void> {
		const req = rt.call.request;
		const script = rt.call.script.callee as CallScript;
		const timing = this.config.timing;
		const leg = await this.dial(rt, 'callee', String(req.displayNbr), String(req.calleeNbr), script);
		if (leg.kind === 'terminated') return this.terminated(rt);
		if (leg.kind === 'failed') return this.failed(rt, 'callee', leg);
		rt.ivrStart = this.simNow(rt);
		const manual = script.outcome === 'manual';
		const segments = req.playInfoList as Body[];
		let collection = 0;
		for (let index = 0; index < segments.length; index++) {
			const seg = segments[index];
			const collectInd = typeof seg.collectInd === 'number' ? seg.collectInd : 0;
			for (let replays = 0; ; replays++) {
				this.setPhase(rt, 'answered', 'playing');
				if (seg.templateId !== undefined) rt.ttsPlayTimes++;
				this.addEvent(rt, 'playback', false, 'callee', undefined, `segment ${index}: ${String(seg.notifyVoice ?? seg.templateId)}`);
				let interrupt = await this.wait(rt, timing.playSeconds);
				if (interrupt.type === 'terminate') return this.terminated(rt);
				if (interrupt.type === 'hangup') return this.finish(rt, { stateCode: 0, ulFailReason: 0 });
				if (collectInd === 0) break;

				this.setPhase(rt, 'answered', 'collecting');
				let digits = rt.pendingDigits.shift();
				if (digits === undefined && !manual) {
					const scripted = script.digits[collection];
					if (scripted) {
						interrupt = await this.wait(rt, timing.dtmfSeconds);
						if (interrupt.type === 'terminate') return this.terminated(rt);
						if (interrupt.type === 'hangup') return this.finish(rt, { stateCode: 0, ulFailReason: 0 });
						digits = interrupt.type === 'digits' ? interrupt.digits : scripted;
					}
				}
				collection++;
				if (digits === undefined) {
					interrupt = await this.wait(rt, manual ? this.manualSeconds() : timing.collectTimeoutSeconds);
					if (interrupt.type === 'terminate') return this.terminated(rt);
					if (interrupt.type === 'hangup') return this.finish(rt, { stateCode: 0, ulFailReason: 0 });
					if (interrupt.type !== 'digits') return this.finish(rt, { stateCode: 8008, ulFailReason: 100 });
					digits = interrupt.digits;
				}
				digits = digits.slice(0, collectInd);
				rt.call.digitsCollected.push(digits);
				this.emitStatus(rt, 'collectInfo', 'callee', { digitInfo: digits });
				if (seg.replayAfterCollection === 'true') {
					// Only the trigger replays the segment; any other input ends the call (FAQ).
					if (digits === seg.collectContentTriggerReplaying && replays < MAX_REPLAYS) continue;
					return this.finish(rt, { stateCode: 0, ulFailReason: 0 });
				}
				break;
			}
		}
		// The platform hangs up by itself after the last segment.
		this.finish(rt, { stateCode: 0, ulFailReason: 0 });
	}

	private async runVerify(rt: Runtime): Promise<void> {
		const req = rt.call.request;
		const script = rt.call.script.callee as CallScript;
		const leg = await this.dial(rt, 'callee', String(req.displayNbr), String(req.calleeNbr), script);
		if (leg.kind === 'terminated') return this.terminated(rt);
		if (leg.kind === 'failed') return this.failed(rt, 'callee', leg);
		rt.ivrStart = this.simNow(rt);
		const times = typeof req.times === 'number' ? req.times : 3;
		const plays = times === 0 ? VERIFY_FOREVER_PLAYS : times;
		for (let i = 0; i < plays; i++) {
			this.setPhase(rt, 'answered', 'playing');
			rt.ttsPlayTimes++;
			this.addEvent(rt, 'playback', false, 'callee', undefined, `verify code reading ${i + 1}`);
			const interrupt = await this.wait(rt, this.config.timing.playSeconds);
			if (interrupt.type === 'terminate') return this.terminated(rt);
			if (interrupt.type === 'hangup') return this.finish(rt, { stateCode: 0, ulFailReason: 0 });
		}
		this.finish(rt, { stateCode: 0, ulFailReason: 0 });
	}

	/** Ends the call: frees the port, pushes disconnect, then queues the CDR behind the status pushes. */
	private finish(rt: Runtime, cause: EndCause): void {
		if (rt.call.state === 'ended') return;
		const req = rt.call.request;
		rt.portHeld = false;
		rt.call.endedAt = new Date().toISOString();
		const stateDesc = stateDescOf(cause.stateCode);
		const disconnect: DisconnectInfo = { stateCode: cause.stateCode, stateDesc, ulFailReason: cause.ulFailReason };
		const fields: Record<string, unknown> = {
			caller: String(req.displayNbr),
			// Callback: the disconnect's called number is A's (doc note "挂机事件的被叫号码为A号码").
			called: String(rt.call.type === 'callback' ? req.callerNbr : req.calleeNbr),
			stateCode: cause.stateCode,
			stateDesc,
		};
		if (rt.call.type === 'callback' && req.partyTypeRequiredInDisconnect === 'true' && cause.partyType) {
			fields.partyType = cause.partyType;
			disconnect.partyType = cause.partyType;
		}
		rt.call.disconnect = disconnect;
		this.setPhase(rt, 'ended', 'ended');
		this.emitStatus(rt, 'disconnect', undefined, fields);
		const fee = this.buildCdr(rt, cause);
		rt.call.cdr = fee;
		const url = rt.call.feeUrl;
		if (!url) {
			rt.cdrDone = true;
			this.checkSettled(rt);
			return;
		}
		rt.statusChain = rt.statusChain.then(() => {
			if (this.runtimes.get(rt.call.sessionId) !== rt) return;
			this.deps.pushes.queueCdr(url, fee, {
				attach: (delivery) => {
					rt.call.pushes.push(delivery);
					this.changed();
				},
				done: () => {
					rt.cdrDone = true;
					this.checkSettled(rt);
				},
			});
		});
	}

	private buildCdr(rt: Runtime, cause: EndCause): Record<string, unknown> {
		const config = this.config;
		const req = rt.call.request;
		const end = this.simNow(rt);
		const t = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : formatPlatformTime(ms));
		const first = rt.call.type === 'callback' ? rt.legs.A : rt.legs.callee;
		const fee: Record<string, unknown> = {
			direction: 0,
			spId: config.spId,
			appKey: config.appKey,
			icid: `${randomBytes(16).toString('hex')}.${Math.floor(end / 1000)}.${rt.seq}.14`,
			bindNum: typeof req.bindNbr === 'string' ? req.bindNbr : config.bindNbr,
			sessionId: rt.call.sessionId,
			callerNum: String(req.displayNbr),
			calleeNum: String(rt.call.type === 'callback' ? req.callerNbr : req.calleeNbr),
		};
		if (rt.call.type === 'callback') {
			const b = rt.legs.B;
			fee.fwdDisplayNum = String(req.displayCalleeNbr);
			fee.fwdDstNum = String(req.calleeNbr);
			fee.fwdStartTime = t(b?.start);
			fee.fwdAlertingTime = t(b?.alerting);
			fee.fwdAnswerTime = t(b?.answer);
		}
		fee.callEndTime = formatPlatformTime(end);
		if (rt.call.type === 'callback') fee.fwdUnaswRsn = cause.failedLeg === 'B' ? cause.q850 : 0;
		if (cause.failedLeg || cause.stateCode === 8008) fee.failTime = formatPlatformTime(end);
		fee.ulFailReason = cause.ulFailReason;
		fee.sipStatusCode = cause.sip ?? 0;
		fee.callOutStartTime = t(first?.start);
		fee.callOutAlertingTime = t(first?.alerting);
		fee.callOutAnswerTime = t(first?.answer);
		fee.callOutUnaswRsn = cause.failedLeg === 'A' || cause.failedLeg === 'callee' ? cause.q850 : 0;
		if (rt.call.type !== 'callback' && rt.ivrStart !== undefined) {
			fee.dynIVRStartTime = formatPlatformTime(rt.ivrStart);
			if (rt.call.type === 'notify' && rt.call.digitsCollected.length > 0) {
				fee.dynIVRPath = rt.call.digitsCollected.join('-');
			}
		}
		fee.recordFlag = 0;
		const talkMs = rt.talkStart === undefined ? 0 : end - rt.talkStart;
		if (rt.call.type === 'callback' && req.recordFlag === 'true' && rt.talkStart !== undefined && talkMs >= MIN_RECORDED_TALK_MS) {
			const name = `${compactUtc(rt.talkStart).slice(2)}${String(rt.seq).padStart(6, '0').slice(-6)}${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}.wav`;
			const expires = Math.floor(Date.now() / 1000) + config.recordingUrlTtlSeconds;
			this.deps.recordings.add(name, expires * 1000);
			fee.recordFlag = 1;
			fee.recordStartTime = formatPlatformTime(rt.talkStart);
			fee.recordObjectName = name;
			fee.recordBucketName = config.recordBucketName;
			fee.recordDomain = this.deps.recordDomain();
			fee.recordFileDownloadUrl = `${this.deps.baseUrl()}/files/${encodeURIComponent(name)}?expires=${expires}`;
		}
		fee.ttsPlayTimes = rt.ttsPlayTimes;
		fee.ttsTransDuration = rt.ttsPlayTimes > 0 ? 1 : 0;
		fee.serviceType = rt.call.type === 'callback' ? '002' : '001';
		fee.hostName = config.hostName;
		if (typeof req.userData === 'string') fee.userData = req.userData;
		for (const key of Object.keys(fee)) if (fee[key] === undefined) delete fee[key];
		return fee;
	}
}

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
