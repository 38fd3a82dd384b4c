import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ENDPOINTS } from '../../../shared/platform/endpoints';
import { huaweiApiRequest } from '../../../shared/transport/request';
import { requiredText } from '../../validation';
import type { SendContext } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1202_566_0_20161228102743@callenabler.home1.com',
		description:
			'The sessionId of the call to end, from Place Call or Send, or from a status event of the trigger (map it with an expression). Both parties are released. A call that already ended gives an error.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['call'], operation: ['terminate'] } },
	properties,
);

interface Prepared {
	sessionId: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Prepared {
	const sessionId = requiredText(
		this.getNodeParameter('sessionId', itemIndex, ''),
		'Session ID',
		256,
		'Map the sessionId returned by Place Call or Send, or the sessionId of a status event from the Huawei Voice Call Trigger.',
	);
	return { sessionId };
}

export async function execute(
	this: IExecuteFunctions,
	{ sessionId }: Prepared,
	{ itemIndex, timeout }: SendContext,
): Promise<INodeExecutionData> {
	// The terminate API's key is all lower-case `sessionid` (docs/platform.md §5), unlike everywhere else.
	const response = await huaweiApiRequest.call(this, {
		endpoint: ENDPOINTS.callStop,
		body: { sessionid: sessionId, signal: 'call_stop' },
		itemIndex,
		timeout,
	});
	return {
		json: {
			sessionId,
			terminated: true,
			resultcode: response.body.resultcode,
			resultdesc: response.body.resultdesc,
		},
	};
}
