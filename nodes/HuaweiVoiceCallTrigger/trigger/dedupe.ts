import type { IDataObject } from 'n8n-workflow';

/**
 * Duplicate CDR suppression. The platform re-sends a CDR push up to 6 times, an hour apart, until
 * it gets a 200 (§8.1), so a push whose 200 was lost arrives again. Each record is identified by
 * sessionId + icid; the keys of delivered records are remembered FIFO with a fixed bound.
 * Pure functions: the caller stores the returned key list in the node's static data.
 */

/** Remembered CDR keys (about 100 bytes each): enough for far more than 6 hours of calls for most apps. */
export const MAX_REMEMBERED_CDRS = 5000;

export function cdrKey(record: IDataObject): string {
	const icid = typeof record.icid === 'string' ? record.icid : '';
	return `${String(record.sessionId)}|${icid}`;
}

export interface DedupeResult {
	/** Records not delivered before, in push order (a key repeated inside one push counts once). */
	fresh: IDataObject[];
	duplicates: number;
	/** The key list to store: the previous keys plus the fresh ones, oldest dropped past the bound. */
	keys: string[];
}

export function dropDeliveredRecords(
	records: IDataObject[],
	rememberedKeys: unknown,
	maxKeys: number = MAX_REMEMBERED_CDRS,
): DedupeResult {
	const previous = Array.isArray(rememberedKeys)
		? rememberedKeys.filter((key): key is string => typeof key === 'string')
		: [];
	const seen = new Set(previous);
	const fresh: IDataObject[] = [];
	const added: string[] = [];
	for (const record of records) {
		const key = cdrKey(record);
		if (seen.has(key)) continue;
		seen.add(key);
		added.push(key);
		fresh.push(record);
	}
	const all = previous.concat(added);
	const keys = all.length > maxKeys ? all.slice(all.length - maxKeys) : all;
	return { fresh, duplicates: records.length - fresh.length, keys };
}
