import type { INodeProperties } from 'n8n-workflow';

import * as placeCall from './placeCall.operation';

export { placeCall };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['callback'] } },
		options: [
			{
				name: 'Place Call',
				value: 'placeCall',
				description: 'Call A, then connect A to B when A answers (click-to-call)',
				action: 'Place a callback call',
			},
		],
		default: 'placeCall',
	},
	...placeCall.description,
];
