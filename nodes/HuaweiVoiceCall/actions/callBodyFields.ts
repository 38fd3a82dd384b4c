import type { IDataObject } from 'n8n-workflow';

import { booleanString, notificationUrl, optionalPhoneNumber, userData } from '../validation';

/**
 * Reads the shared Additional Fields (common.descriptions.ts) into request-body fields (only those the user set).
 * callVerify has no bindNbr (§9): its operation reads them with `bindNbr: false`.
 */
export function callBodyFields(additional: IDataObject, { bindNbr: withBindNbr = true } = {}): IDataObject {
	const body: IDataObject = {};
	const statusUrl = notificationUrl(additional.statusUrl, 'Status URL');
	if (statusUrl !== undefined) body.statusUrl = statusUrl;
	const feeUrl = notificationUrl(additional.feeUrl, 'CDR URL');
	if (feeUrl !== undefined) body.feeUrl = feeUrl;
	const data = userData(additional.userData);
	if (data !== undefined) body.userData = data;
	const idlePort = booleanString(additional.returnIdlePort, 'Return Idle Port');
	if (idlePort !== undefined) body.returnIdlePort = idlePort;
	const bindNbr = withBindNbr ? optionalPhoneNumber(additional.bindNbr, 'Bind Number') : undefined;
	if (bindNbr !== undefined) body.bindNbr = bindNbr;
	return body;
}
