/**
 * Fault injection: which fault a platform request gets. A fixed fault (`faults[endpoint]`, limited
 * by `times`) wins; otherwise, with `randomFaults`, the request draws from a seeded generator. The
 * server (server.ts) carries the fault out.
 */
import { FLOW_CONTROL_1010010 } from './replies';
import { FAULT_KINDS, type EndpointName, type FaultKind, type FaultSpec, type RandomFaults } from './config';

/** The codes an `authFailure` draws from: a wrong digest, a bad clock, header codes, the IP block (§3.4). */
export const AUTH_FAILURE_CODES: readonly string[] = ['1010010', '1010013', '1023006', '1023033', '1023035', '1023037', '1020176'];

const SERVER_ERROR_CODES: readonly string[] = ['1010001', '1020002'];
const FLOW_CONTROL_CODES: readonly string[] = ['1011006', '1010009', 'flow-1010010'];
const DEFAULT_RANDOM_ENDPOINTS: readonly EndpointName[] = ['click2Call', 'callNotify', 'callVerify'];
const DEFAULT_SLOW_ANSWER_MS = 5000;

/** mulberry32: a small, fast, seedable generator (uniform in [0, 1)). Not for secrets. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pick<T>(list: readonly T[], u: number): T {
	return list[Math.min(list.length - 1, Math.floor(u * list.length))];
}

/** The fault a drawn kind stands for; `variant` (uniform in [0, 1)) picks the code or status. */
export function faultOfKind(kind: FaultKind, variant: number, random: RandomFaults): FaultSpec {
	switch (kind) {
		case 'resetBeforeAccept':
			return { drop: 'dropBeforeAccept' };
		case 'resetAfterAccept':
			return { drop: 'dropAfterAccept' };
		case 'slowAnswer':
			return { slowAnswerMs: random.slowAnswerMs ?? DEFAULT_SLOW_ANSWER_MS };
		case 'serverError':
			return { resultCode: pick(SERVER_ERROR_CODES, variant) };
		case 'gatewayError':
			return { gatewayError: { status: pick([502, 503], variant) } };
		case 'gatewayTimeout':
			return { gatewayError: { status: 504, afterAccept: true } };
		case 'malformedJson':
			return { malformedBody: true };
		case 'flowControl': {
			const code = pick(FLOW_CONTROL_CODES, variant);
			return code === 'flow-1010010'
				? { resultCode: FLOW_CONTROL_1010010.resultcode, resultDesc: FLOW_CONTROL_1010010.resultdesc, httpStatus: FLOW_CONTROL_1010010.httpStatus }
				: { resultCode: code };
		}
		case 'portLimit':
			return { resultCode: '1020165' };
		case 'authFailure':
			return { resultCode: pick(AUTH_FAILURE_CODES, variant) };
	}
}

export function describeFault(fault: FaultSpec): string {
	const parts: string[] = [];
	if (fault.delayMs) parts.push(`delay ${fault.delayMs}ms`);
	if (fault.drop) parts.push(fault.drop);
	if (fault.resultCode !== undefined) parts.push(`resultCode ${fault.resultCode}${fault.resultDesc !== undefined ? ` "${fault.resultDesc}"` : ''}`);
	if (fault.slowAnswerMs !== undefined) parts.push(`slowAnswer ${fault.slowAnswerMs}ms`);
	if (fault.gatewayError) parts.push(`gateway ${fault.gatewayError.status}${fault.gatewayError.afterAccept ? ' after accept' : ''}`);
	if (fault.malformedBody) parts.push('malformedBody');
	return parts.join(', ');
}

/** The fault state of one emulator: `times` counters per endpoint and the random generator. */
export class FaultInjector {
	private readonly usage = new Map<EndpointName, number>();
	private random?: { config: RandomFaults; next: () => number };

	constructor(private readonly current: () => { faults: Partial<Record<EndpointName, FaultSpec>>; randomFaults: RandomFaults | null }) {}

	/** Forget the `times` counters (new `faults`). */
	resetFixed(): void {
		this.usage.clear();
	}

	/** Start the random generator again from its seed (new `randomFaults`, or reset). */
	resetRandom(): void {
		this.random = undefined;
	}

	/** The fault for this request, consuming one of its `times` or one random draw. */
	take(endpoint: EndpointName): { fault: FaultSpec; kind?: FaultKind } | undefined {
		const { faults, randomFaults } = this.current();
		const fixed = faults[endpoint];
		if (fixed) {
			const used = this.usage.get(endpoint) ?? 0;
			if (fixed.times === undefined || used < fixed.times) {
				this.usage.set(endpoint, used + 1);
				return { fault: fixed };
			}
		}
		if (randomFaults === null || !(randomFaults.endpoints ?? DEFAULT_RANDOM_ENDPOINTS).includes(endpoint)) return undefined;
		if (this.random?.config !== randomFaults) this.random = { config: randomFaults, next: seededRandom(randomFaults.seed) };
		// Two draws per request, always, so the n-th request's fault does not depend on earlier kinds.
		const u = this.random.next();
		const variant = this.random.next();
		let cumulative = 0;
		for (const kind of FAULT_KINDS) {
			cumulative += randomFaults.rates[kind] ?? 0;
			if (u < cumulative) return { fault: faultOfKind(kind, variant, randomFaults), kind };
		}
		return undefined;
	}
}
