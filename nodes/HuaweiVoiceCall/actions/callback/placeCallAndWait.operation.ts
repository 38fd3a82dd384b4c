import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import type { SendContext } from '../types';
import type { WaitSettings } from '../wait/decide';
import { limitWaitTimeProperties, waitSetupNotice } from '../wait/descriptions';
import * as placeCall from './placeCall.operation';

/**
 * Voice Callback → Place Call and Wait: the call of Place Call (same fields), then the execution
 * waits until the call has ended and continues on Answered or Not Answered, with the outcome,
 * causes and durations. The waiting itself is in actions/wait/.
 */

export const description = updateDisplayOptions(
	{ show: { resource: ['callback'], operation: ['placeCallAndWait'] } },
	[waitSetupNotice, ...limitWaitTimeProperties] as INodeProperties[],
);

export const label = 'Place Call and Wait';
export const echoFields = placeCall.ECHO_FIELDS;
export const placesCall = true;

export function waitSettings(): WaitSettings {
	return { kind: 'callEnd' };
}

export function prepare(this: IExecuteFunctions, itemIndex: number): placeCall.Prepared {
	return placeCall.prepare.call(this, itemIndex);
}

export async function execute(this: IExecuteFunctions, prepared: placeCall.Prepared, context: SendContext): Promise<INodeExecutionData> {
	return await placeCall.execute.call(this, prepared, context);
}
