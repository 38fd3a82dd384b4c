import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { SendContext } from '../types';
import { readRecordingTarget, recordingFields, resolveDownloadUrl, type RecordingTarget } from './common';

const properties: INodeProperties[] = [...recordingFields];

export const description = updateDisplayOptions(
	{ show: { resource: ['recording'], operation: ['getDownloadUrl'] } },
	properties,
);

export function prepare(this: IExecuteFunctions, itemIndex: number): RecordingTarget {
	return readRecordingTarget.call(this, itemIndex);
}

export async function execute(
	this: IExecuteFunctions,
	target: RecordingTarget,
	context: SendContext,
): Promise<INodeExecutionData> {
	const downloadUrl = await resolveDownloadUrl.call(this, target, context);
	return { json: { fileName: target.fileName, recordDomain: target.recordDomain, downloadUrl } };
}
