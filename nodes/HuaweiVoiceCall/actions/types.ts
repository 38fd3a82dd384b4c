import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { WaitSettings } from './wait/decide';

/** What the router hands an operation when it sends one item. */
export interface SendContext {
	itemIndex: number;
	/** Milliseconds to wait for each answer. */
	timeout: number;
	/** Tells the pacing the platform's free call ports from an accepted call (pacing.ts, SendReport). */
	reportIdlePorts?: (count: number) => void;
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

/**
 * An "and wait" operation (Send and Wait for Response, Place Call and Wait): it places one call
 * like its plain twin, then the execution waits for the call's outcome (actions/wait/).
 */
export interface WaitingOperationModule<Prepared extends { body: IDataObject } = { body: IDataObject }>
	extends OperationModule<Prepared> {
	/** The operation's name as the UI shows it, for messages. */
	label: string;
	/** Request fields the output item repeats (numbers), like the plain operation's output. */
	echoFields: readonly string[];
	/** How the waiting node decides on the pushes it receives (response keys, or the call's end). */
	waitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings;
}
