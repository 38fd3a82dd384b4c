import {
	NodeApiError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { requiredText } from '../../validation';
import type { SendContext } from '../types';
import { readRecordingTarget, recordingFields, resolveDownloadUrl, type RecordingTarget } from './common';

const properties: INodeProperties[] = [
	...recordingFields,
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the output binary field to put the recording in',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['recording'], operation: ['download'] } },
	properties,
);

interface Prepared extends RecordingTarget {
	binaryPropertyName: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): Prepared {
	const binaryPropertyName = requiredText(
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data'),
		'Put Output File in Field',
		256,
		'Enter the name of the binary field to put the recording in, e.g. data.',
	);
	return { ...readRecordingTarget.call(this, itemIndex), binaryPropertyName };
}

/**
 * Fetches the file from the storage address (a signed URL: no credentials involved) as a stream,
 * so n8n writes it to its binary store without holding the whole file in memory twice.
 */
async function fetchRecording(
	this: IExecuteFunctions,
	url: string,
	fileName: string,
	{ itemIndex, timeout }: SendContext,
) {
	let response: { body: unknown; statusCode?: number };
	try {
		response = (await this.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			timeout,
		})) as { body: unknown; statusCode?: number };
	} catch (error) {
		const cause = error as { code?: unknown; httpCode?: unknown; response?: { status?: unknown } };
		const status = cause.response?.status ?? cause.httpCode;
		// Keep network codes (ECONNRESET, …) out of `code` and the message: NodeApiError would swap
		// the message for a generic one that invites retrying.
		throw new NodeApiError(this.getNode(), { connection: String(cause.code ?? '') } as JsonObject, {
			message: `Could not download the recording ${fileName}${status ? ` (HTTP ${String(status)})` : ''}`,
			description: `The download address may have expired or the recording may be gone (files are kept 7 days). Get a fresh address by running this operation again soon after the CDR arrives.${cause.code ? ` Connection error: ${String(cause.code)}.` : ''}`,
			httpCode: status ? String(status) : undefined,
			itemIndex,
		});
	}
	return await this.helpers.prepareBinaryData(response.body as Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], fileName, 'audio/wav');
}

export async function execute(
	this: IExecuteFunctions,
	prepared: Prepared,
	context: SendContext,
): Promise<INodeExecutionData> {
	const downloadUrl = await resolveDownloadUrl.call(this, prepared, context);
	const binary = await fetchRecording.call(this, downloadUrl, prepared.fileName, context);
	return {
		json: {
			fileName: prepared.fileName,
			recordDomain: prepared.recordDomain,
			downloadUrl,
			fileSize: binary.bytes ?? binary.fileSize,
		},
		binary: { [prepared.binaryPropertyName]: binary },
	};
}
