/**
 * What the HTTP side (server.ts, control.ts, console.ts) gets from an emulator instance (index.ts
 * builds it), and the request log entries it writes.
 */
import type { CallManager } from './calls';
import type { EmulatorConfig, EndpointName, FaultKind } from './config';
import type { FaultInjector } from './faults';
import type { RecordingStore } from './recordings';
import type { TimerSet } from './timers';

export interface RequestLogEntry {
	id: number;
	time: string;
	endpoint: EndpointName | 'unknown';
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON body, or the raw text when it is not JSON; query parameters for the record API. */
	body: unknown;
	/** null when no response was sent (dropped connection). */
	resultcode: string | null;
	resultdesc: string | null;
	httpStatus: number | null;
	sessionId?: string;
	/** The fault that affected the request, if any. */
	fault?: string;
	/** The kind of a random fault (`randomFaults`), when the request drew one. */
	faultKind?: FaultKind;
	/** The answer was ready but the client had closed the connection (a slow answer past its timeout). */
	answerLost?: boolean;
}

/** Everything the server needs from the emulator instance. */
export interface ServerContext {
	config: EmulatorConfig;
	calls: CallManager;
	recordings: RecordingStore;
	/** Fault delays, waits and the console's event streams: cancelled only on stop. */
	ioTimers: TimerSet;
	requests: RequestLogEntry[];
	faults: FaultInjector;
	/** Log entries of the API requests being handled (not answered yet), which a restart marks as cut. */
	inFlight: Set<RequestLogEntry>;
	/** Increases at every restart: a request handled across one is abandoned. */
	generation(): number;
	baseUrl(): string;
	recordDomain(): string;
	reset(): void;
	configure(patch: Partial<EmulatorConfig>): void;
	log?(line: string): void;
}
