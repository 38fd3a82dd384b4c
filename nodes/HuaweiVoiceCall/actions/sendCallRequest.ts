import { NodeApiError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type JsonObject } from 'n8n-workflow';

import type { Endpoint } from '../../shared/platform/endpoints';
import { CHECK_BEFORE_RESENDING, huaweiApiRequest, markMayHaveBeenPlaced } from '../../shared/transport/request';
import type { SendContext } from './types';

/**
 * Sends one call-placing request (click2Call, callnotify or callVerify) and builds the output item: the
 * session ID and result, the idle ports when asked for, and the request fields (numbers, user
 * data) that a later node needs to match status pushes and CDRs to this call.
 *
 * When Return Idle Port is not set, the request still asks for `idlePort` (docs/platform.md §4.2):
 * the pacing uses it to stop at the last free port instead of sending into 1020165. The item
 * carries it only when the user asked for it; Return Idle Port off leaves it out of the request.
 */
export async function sendCallRequest(
	this: IExecuteFunctions,
	endpoint: Endpoint,
	body: IDataObject,
	echoFields: readonly string[],
	{ itemIndex, timeout, reportIdlePorts }: SendContext,
): Promise<INodeExecutionData> {
	const response = await huaweiApiRequest.call(this, {
		endpoint,
		body: body.returnIdlePort === undefined ? { ...body, returnIdlePort: 'true' } : body,
		itemIndex,
		placesCall: true,
		timeout,
	});
	const { sessionId } = response.body;
	if (typeof sessionId !== 'string' || sessionId === '') {
		// Accepted (no error code), but without the sessionId every success carries (§4.2, §6.2):
		// the call is probably ringing and cannot be followed.
		throw markMayHaveBeenPlaced(
			new NodeApiError(this.getNode(), { statusCode: response.statusCode } as JsonObject, {
				message: 'Huawei Voice Call answered without a sessionId: the call may or may not have been placed',
				description: `A successful answer always carries the sessionId of the call. ${CHECK_BEFORE_RESENDING}`,
				itemIndex,
			}),
		);
	}
	const json: IDataObject = {
		sessionId: response.body.sessionId,
		resultcode: response.body.resultcode,
		resultdesc: response.body.resultdesc,
	};
	const idlePort = response.body.idlePort;
	if (typeof idlePort === 'number') reportIdlePorts?.(idlePort);
	if (idlePort !== undefined && body.returnIdlePort === 'true') json.idlePort = idlePort;
	for (const field of echoFields) json[field] = body[field];
	if (body.userData !== undefined) json.userData = body.userData;
	return { json };
}
