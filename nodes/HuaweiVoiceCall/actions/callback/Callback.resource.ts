import type { INodeProperties } from 'n8n-workflow';

import * as placeCall from './placeCall.operation';
import * as placeCallAndWait from './placeCallAndWait.operation';

export { placeCall, placeCallAndWait };

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
				action: 'Call two phone numbers and connect them',
			},
			{
				name: 'Place Call and Wait',
				value: 'placeCallAndWait',
				description: 'Place a callback call and wait until it ends; continue on Answered or Not Answered',
				action: 'Place a callback call and wait for its outcome',
			},
		],
		default: 'placeCall',
	},
	...placeCall.description,
	...placeCallAndWait.description,
];
