/**
 * What the HTTP side (server.ts, control.ts, console.ts) gets from an emulator instance (index.ts
 * builds it), and the request log entries it writes.
 */
import type { CallManager } from './calls';
import type { EmulatorConfig, EndpointName } from './config';
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
}

/** Everything the server needs from the emulator instance. */
export interface ServerContext {
	config: EmulatorConfig;
	calls: CallManager;
	recordings: RecordingStore;
	/** Fault delays, waits and the console's event streams: cancelled only on stop. */
	ioTimers: TimerSet;
	requests: RequestLogEntry[];
	faultUsage: Map<EndpointName, number>;
	baseUrl(): string;
	recordDomain(): string;
	reset(): void;
	configure(patch: Partial<EmulatorConfig>): void;
	log?(line: string): void;
}
