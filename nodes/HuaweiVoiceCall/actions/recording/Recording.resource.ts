import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getDownloadUrl from './getDownloadUrl.operation';

export { download, getDownloadUrl };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['recording'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download a call recording as a WAV file',
				action: 'Download a recording',
			},
			{
				name: 'Get Download URL',
				value: 'getDownloadUrl',
				description: 'Get the short-lived download address of a call recording',
				action: 'Get a recording download URL',
			},
		],
		default: 'download',
	},
	...download.description,
	...getDownloadUrl.description,
];
