import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Endpoint } from '../../shared/platform/endpoints';
import { huaweiApiRequest } from '../../shared/transport/request';
import type { SendContext } from './types';

/**
 * Sends one call-placing request (click2Call or callnotify) and builds the output item: the
 * session ID and result, the idle ports when asked for, and the request fields (numbers, user
 * data) that a later node needs to match status pushes and CDRs to this call.
 */
export async function sendCallRequest(
	this: IExecuteFunctions,
	endpoint: Endpoint,
	body: IDataObject,
	echoFields: readonly string[],
	{ itemIndex, timeout }: SendContext,
): Promise<INodeExecutionData> {
	const response = await huaweiApiRequest.call(this, {
		endpoint,
		body,
		itemIndex,
		placesCall: true,
		timeout,
	});
	const json: IDataObject = {
		sessionId: response.body.sessionId,
		resultcode: response.body.resultcode,
		resultdesc: response.body.resultdesc,
	};
	if (response.body.idlePort !== undefined) json.idlePort = response.body.idlePort;
	for (const field of echoFields) json[field] = body[field];
	if (body.userData !== undefined) json.userData = body.userData;
	return { json };
}
