import type { INodeProperties } from 'n8n-workflow';

import * as terminate from './terminate.operation';

export { terminate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Terminate',
				value: 'terminate',
				description: 'End a running call and release both parties',
				action: 'Terminate a call',
			},
		],
		default: 'terminate',
	},
	...terminate.description,
];
