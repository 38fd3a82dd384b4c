import type { IDataObject } from 'n8n-workflow';

import { CallTimelines } from './callTimelines';
import { DeliveredCdrs, digestKey } from './deliveredCdrs';

/**
 * The trigger's memory: one per trigger node (workflow id + node id) per n8n process, for as long
 * as the process runs (n8n loads a node package once per process and keeps it; docs/n8n.md §1–2).
 *
 * Workflow static data is only a best-effort copy of the delivered CDRs, so that a re-send that
 * arrives after a restart, or at another process of the same instance (queue mode), is still
 * recognised. It can never make things worse: it only ever holds digests of CDRs that were really
 * delivered, so merging it can only drop true duplicates, and the memory, not the copy, decides.
 */

export interface TriggerMemory {
	cdrs: DeliveredCdrs;
	calls: CallTimelines;
}

const memories = new Map<string, TriggerMemory>();

export function memoryOf(workflowId: string | undefined, nodeId: string): TriggerMemory {
	const scope = `${workflowId ?? ''}\u0000${nodeId}`;
	let memory = memories.get(scope);
	if (memory === undefined) {
		memory = { cdrs: new DeliveredCdrs(), calls: new CallTimelines() };
		memories.set(scope, memory);
	}
	return memory;
}

/** Static-data key of the copy: digests of the newest delivered CDRs (deliveredCdrs.ts). */
export const STATIC_COPY_KEY = 'deliveredCdrDigests';
/** Earlier versions kept `sessionId|icid` keys and call timelines in static data. */
const LEGACY_CDR_KEYS = 'deliveredCdrs';
const LEGACY_TIMELINES = 'calls';

/** Merges the static-data copy (and an earlier version's keys) into the memory. */
export function adoptStaticCopy(memory: TriggerMemory, staticData: IDataObject, nowMs: number): void {
	memory.cdrs.remember(staticData[STATIC_COPY_KEY], nowMs);
	const legacy = staticData[LEGACY_CDR_KEYS];
	if (Array.isArray(legacy)) {
		memory.cdrs.remember(
			legacy.filter((key): key is string => typeof key === 'string').map((key) => digestKey(`cdr|${key}`)),
			nowMs,
		);
	}
}

/** Replaces the copy with the memory's newest digests (n8n saves static data after the push). */
export function writeStaticCopy(memory: TriggerMemory, staticData: IDataObject): void {
	staticData[STATIC_COPY_KEY] = memory.cdrs.recent();
	if (staticData[LEGACY_CDR_KEYS] !== undefined) delete staticData[LEGACY_CDR_KEYS];
}

/** Drops the call timelines an earlier version kept in static data (never read: they were lossy). */
export function dropLegacyTimelines(staticData: IDataObject): void {
	if (staticData[LEGACY_TIMELINES] !== undefined) delete staticData[LEGACY_TIMELINES];
}
