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

/** Adds `<field>Iso` next to every `…Time`/`timestamp` field: the platform time in ISO-8601 UTC, or null. */
export function addIsoTimes(source: IDataObject, target: IDataObject): void {
	for (const [key, value] of Object.entries(source)) {
		if (key !== 'timestamp' && !key.endsWith('Time')) continue;
		target[`${key}Iso`] = platformTimeToIso(value) ?? null;
	}
}
