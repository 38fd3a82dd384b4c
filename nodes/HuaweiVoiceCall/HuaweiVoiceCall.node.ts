import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import * as call from './actions/call/Call.resource';
import * as callback from './actions/callback/Callback.resource';
import { optionsCollection } from './actions/common.descriptions';
import { guardrailsProperties } from './actions/guardrails';
import * as notification from './actions/notification/Notification.resource';
import * as recording from './actions/recording/Recording.resource';
import { CREDENTIAL_TYPE } from '../shared/credentialType';
import { router } from './actions/router';
import * as verification from './actions/verification/Verification.resource';
import { WAITING_WEBHOOKS } from './actions/wait/descriptions';
import { OUTPUTS_EXPRESSION } from './actions/wait/outputs';
import { waitingWebhook } from './actions/wait/webhook';

export class HuaweiVoiceCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Huawei Voice Call',
		name: 'huaweiVoiceCall',
		icon: { light: 'file:../../icons/huaweiVoiceCall.svg', dark: 'file:../../icons/huaweiVoiceCall.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Place click-to-call callbacks, send voice notifications with keypad input and voice verification codes, end calls and fetch recordings with Huawei Cloud Voice Call',
		defaults: { name: 'Huawei Voice Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// One output, or the branches of a waiting operation (actions/wait/outputs.ts).
		outputs: OUTPUTS_EXPRESSION,
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Where the trigger forwards the pushes of a waiting call (Send and Wait, Place Call and Wait).
		webhooks: WAITING_WEBHOOKS,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call' },
					{ name: 'Recording', value: 'recording' },
					{ name: 'Voice Callback', value: 'callback' },
					{ name: 'Voice Notification', value: 'notification' },
					{ name: 'Voice Verification', value: 'verification' },
				],
				default: 'notification',
			},
			...callback.description,
			...notification.description,
			...call.description,
			...recording.description,
			...verification.description,
			...guardrailsProperties,
			optionsCollection,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await waitingWebhook.call(this);
	}
}
