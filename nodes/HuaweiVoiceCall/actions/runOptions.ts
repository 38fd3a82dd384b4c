import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PACING_DEFAULTS, type PacingOptions } from '../../shared/transport/pacing';

/** The node-level Options (`optionsCollection` in common.descriptions.ts), read once per run. */
export interface RunOptions {
	pacing: PacingOptions;
	timeoutMs: number;
}

function numberOption(value: unknown, fallback: number): number {
	const number = typeof value === 'number' ? value : Number(value);
	return value === undefined || value === '' || !Number.isFinite(number) ? fallback : number;
}

/** Reads "Options" (once per run; they apply to all items). */
export function readRunOptions(this: IExecuteFunctions): RunOptions {
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		pacing: {
			maxConcurrent: numberOption(options.maxConcurrent, PACING_DEFAULTS.maxConcurrent),
			retryNotAccepted:
				options.retryNotAccepted === undefined ? PACING_DEFAULTS.retryNotAccepted : options.retryNotAccepted === true,
			maxRetries: numberOption(options.maxRetries, PACING_DEFAULTS.maxRetries),
			retryWaitMs: Math.min(60, Math.max(0, numberOption(options.retryWait, PACING_DEFAULTS.retryWaitMs / 1000))) * 1000,
			maxRetryWaitMs: PACING_DEFAULTS.maxRetryWaitMs,
			portWaitBudgetMs:
				Math.max(0, numberOption(options.portWaitBudget, PACING_DEFAULTS.portWaitBudgetMs / 1000)) * 1000,
		},
		timeoutMs: Math.max(0.001, numberOption(options.timeout, 30)) * 1000,
	};
}
