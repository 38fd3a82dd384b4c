import { NodeApiError, type IExecuteFunctions, type INodeProperties, type JsonObject } from 'n8n-workflow';

import { ENDPOINTS } from '../../../shared/platform/endpoints';
import { huaweiApiRequest } from '../../../shared/transport/request';
import { FieldError, requiredText } from '../../validation';
import type { SendContext } from '../types';

/** Fields of both recording operations. Defaults read a CDR item from the trigger directly. */
export const recordingFields: INodeProperties[] = [
	{
		displayName:
			'Recordings exist only for voice callback calls placed with Record on, answered and at least 3 seconds long, on an app with recording enabled. Files are kept 7 days; download addresses are short-lived.',
		name: 'recordingNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '={{ $json.recordObjectName }}',
		placeholder: 'e.g. 22051313251812007961340.wav',
		description:
			'The recordObjectName of the call\'s CDR. The default reads it from a CDR item of the Huawei Voice Call Trigger.',
	},
	{
		displayName: 'Record Domain',
		name: 'recordDomain',
		type: 'string',
		default: '={{ $json.recordDomain }}',
		placeholder: 'e.g. ostorQH2.huawei.com',
		description:
			'The recordDomain of the call\'s CDR. When it is empty, the Direct Download URL is used instead.',
	},
	{
		displayName: 'Direct Download URL',
		name: 'recordFileDownloadUrl',
		type: 'string',
		default: '={{ $json.recordFileDownloadUrl }}',
		placeholder: 'e.g. https://storage.example.com/record.wav',
		description:
			'Used only when Record Domain is empty: the recordFileDownloadUrl of the CDR, which Huawei provides for that case',
	},
];

export interface RecordingTarget {
	fileName: string;
	recordDomain: string;
	/** Set when the CDR's own download URL is used (no record API call). */
	directUrl?: string;
}

export function readRecordingTarget(this: IExecuteFunctions, itemIndex: number): RecordingTarget {
	const text = (name: string) => {
		const value = this.getNodeParameter(name, itemIndex, '') as unknown;
		return value === undefined || value === null ? '' : String(value).trim();
	};
	const fileName = text('fileName');
	const recordDomain = text('recordDomain');
	const directUrl = text('recordFileDownloadUrl');
	if (recordDomain !== '') {
		return {
			fileName: requiredText(
				fileName,
				'File Name',
				128,
				'Map the recordObjectName of the CDR, e.g. {{ $json.recordObjectName }}. Calls without Record on, or shorter than 3 seconds, have no recording.',
			),
			recordDomain: requiredText(recordDomain, 'Record Domain', 128, 'Map the recordDomain of the CDR.'),
		};
	}
	if (directUrl !== '') {
		if (!/^https?:\/\/\S+$/i.test(directUrl)) {
			throw new FieldError(
				'Direct Download URL',
				`Direct Download URL is not an http(s) URL: "${directUrl.slice(0, 60)}"`,
				'Map the recordFileDownloadUrl of the CDR, or fill in File Name and Record Domain.',
			);
		}
		const fromUrl = decodeURIComponent(directUrl.split('?')[0].split('/').pop() ?? '');
		return { fileName: fileName || fromUrl || 'recording.wav', recordDomain: '', directUrl };
	}
	throw new FieldError(
		'Record Domain',
		fileName === '' ? 'File Name and Record Domain are empty' : 'Record Domain is empty',
		'Feed a CDR item that has a recording (recordFlag 1), or map its recordObjectName and recordDomain (or, when the domain is empty, its recordFileDownloadUrl). Only recorded voice callback calls of 3 seconds or more have recordings.',
	);
}

/** Asks the record API for the download address: its answer is a 301 whose Location is the URL. */
export async function resolveDownloadUrl(
	this: IExecuteFunctions,
	target: RecordingTarget,
	{ itemIndex, timeout }: SendContext,
): Promise<string> {
	if (target.directUrl !== undefined) return target.directUrl;
	const response = await huaweiApiRequest.call(this, {
		endpoint: ENDPOINTS.record,
		qs: { fileName: target.fileName, recordDomain: target.recordDomain },
		itemIndex,
		timeout,
	});
	const location = response.headers.location ?? response.headers.Location;
	const url = Array.isArray(location) ? location[0] : location;
	if (response.statusCode < 300 || response.statusCode >= 400 || typeof url !== 'string' || url === '') {
		throw new NodeApiError(this.getNode(), { statusCode: response.statusCode } as JsonObject, {
			message: `Huawei Voice Call answered HTTP ${response.statusCode} without a download address`,
			description:
				'The record API should answer with a redirect (301) to the file. Check File Name and Record Domain against the CDR; the recording may have expired (files are kept 7 days).',
			httpCode: String(response.statusCode),
			itemIndex,
		});
	}
	return url;
}
