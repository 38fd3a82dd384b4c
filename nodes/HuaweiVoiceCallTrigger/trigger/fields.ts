import type { IDataObject } from 'n8n-workflow';

import { platformTimeToIso } from '../../shared/platform/time';

/** Small readers shared by the status and CDR parsers. */

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Integer value of a code field the platform sends as a number (or, defensively, a numeric string). */
export function toCode(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** `<field>` → `<field>Iso` for the time fields seen (a push has dozens; bounded against odd pushes). */
const ISO_KEYS = new Map<string, string>();

/** Adds `<field>Iso` next to every `…Time`/`timestamp` field: the platform time in ISO-8601 UTC, or null. */
export function addIsoTimes(source: IDataObject, target: IDataObject): void {
	for (const key of Object.keys(source)) {
		if (key !== 'timestamp' && !key.endsWith('Time')) continue;
		let isoKey = ISO_KEYS.get(key);
		if (isoKey === undefined) {
			isoKey = `${key}Iso`;
			if (ISO_KEYS.size < 1000) ISO_KEYS.set(key, isoKey);
		}
		target[isoKey] = platformTimeToIso(source[key]) ?? null;
	}
}
