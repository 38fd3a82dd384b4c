import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** What the router hands an operation when it sends one item. */
export interface SendContext {
	itemIndex: number;
	/** Milliseconds to wait for each answer. */
	timeout: number;
}

/**
 * One operation module (`<op>.operation.ts`). The router calls `prepare` for every item first
 * (read parameters, validate: no I/O), so an invalid item fails before any phone rings, then
 * runs `execute` for the valid items through pacing. `execute` sends, never sleeps or retries,
 * and returns one new output item (the router adds `pairedItem`).
 */
export interface OperationModule<Prepared = unknown> {
	description: INodeProperties[];
	/** Whether a successful send rings a phone (so the whole node must never be re-run). */
	placesCall?: boolean;
	prepare(this: IExecuteFunctions, itemIndex: number): Prepared;
	execute(this: IExecuteFunctions, prepared: Prepared, context: SendContext): Promise<INodeExecutionData>;
}
