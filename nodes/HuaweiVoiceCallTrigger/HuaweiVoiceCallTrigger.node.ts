import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/credentialType';
import { TRIGGER_EVENTS } from './trigger/parse';
import { handlePush } from './trigger/webhook';

export class HuaweiVoiceCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Huawei Voice Call Trigger',
		name: 'huaweiVoiceCallTrigger',
		icon: {
			light: 'file:../../icons/huaweiVoiceCall.svg',
			dark: 'file:../../icons/huaweiVoiceCall.dark.svg',
		},
		group: ['trigger'],
		// Version 2 behaves exactly like version 1. For a version-1 start node, n8n evaluates an
		// expression in its expression isolate on every webhook call (the Webhook node's old
		// binaryData option: n8n/dist/webhooks/webhook-helpers.js, parseRequestBody), about half of
		// what a push cost n8n besides the execution itself (bench/README.md, docs/n8n.md §7).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{"Events: " + $parameter["events"].join(", ")}}',
		description:
			'Starts the workflow when Huawei Cloud Voice Call pushes a call status event or a call detail record (CDR)',
		defaults: {
			name: 'Huawei Voice Call Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
				displayOptions: {
					show: {
						verifySignature: [true],
					},
				},
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node writes every reply itself (an empty 200 for accepted pushes).
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Huawei Voice Call has no API to register push addresses, so copy this node\'s Production URL and either paste it into the Voice Call console (App Management → your app → "呼叫状态接收地址" call status URL and "话单接收地址" CDR URL), or put it in the Status URL and CDR URL fields of the Huawei Voice Call node. One URL receives both. The platform only reaches public HTTPS/HTTP addresses.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [...TRIGGER_EVENTS],
				description:
					'Which pushes start the workflow. Other pushes are still acknowledged (200) without running it.',
				options: [
					{
						name: 'Alerting',
						value: 'alerting',
						description: 'The called party is ringing',
					},
					{
						name: 'Answer',
						value: 'answer',
						description: 'The called party answered',
					},
					{
						name: 'Call Detail Record (CDR)',
						value: 'cdr',
						description:
							'The record of a finished call, with times, outcome, durations and recording; one item per record',
					},
					{
						name: 'Callout',
						value: 'callout',
						description: 'The platform starts calling a party',
					},
					{
						name: 'Digits Collected (collectInfo)',
						value: 'collectInfo',
						description: 'A voice notification collected the digits the callee pressed (DTMF)',
					},
					{
						name: 'Disconnect',
						value: 'disconnect',
						description: 'The call was released, with the hang-up cause and outcome',
					},
				],
			},
			{
				displayName: 'Drop Duplicate CDRs',
				name: 'dropDuplicates',
				type: 'boolean',
				default: true,
				description:
					'Whether to ignore call detail records already delivered (same sessionId and icid). The platform re-sends a CDR push up to 6 times, an hour apart, when it did not receive a 200.',
			},
			{
				displayName: 'Verify Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: false,
				description:
					'Whether to accept only pushes signed with your app\'s APP_Key and APP_Secret (X-AKSK header); others get 401. Turn on only if your pushes carry the header: Huawei documents it on some pages and says pushes are unsigned on others. The URL given to the platform must be exactly this node\'s URL.',
			},
			{
				displayName: 'Clock Tolerance (Minutes)',
				name: 'clockToleranceMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1440 },
				default: 15,
				description:
					'How far the signature time (Created) may be from this server\'s clock, read as UTC or as Beijing time',
				displayOptions: {
					show: {
						verifySignature: [true],
					},
				},
			},
			{
				displayName: 'Token',
				name: 'token',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'Optional shared secret for unsigned pushes. When set, append ?token= followed by this value to the URL you give the platform; pushes without it get 401.',
			},
			{
				displayName:
					'Call and wait: the Huawei Voice Call node\'s "Send and Wait for Response" and "Place Call and Wait" continue when this trigger receives the call\'s pushes. Keep one workflow with this trigger published and use its Production URL as the Status URL (in those operations, or as the app\'s "呼叫状态接收地址" in the console). It forwards each push of a waiting call to its execution.',
				name: 'waitNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Start Workflow for Pushes of Waiting Calls',
						name: 'runForWaitingCalls',
						type: 'boolean',
						default: false,
						description:
							'Whether pushes of calls that an execution waits for (call and wait) also start this workflow. By default they only continue the waiting execution.',
					},
					{
						displayName: 'Waiting Webhook URL',
						name: 'waitingWebhookUrl',
						type: 'string',
						default: '',
						placeholder: 'e.g. http://127.0.0.1:5678/webhook-waiting',
						description:
							'Where this n8n receives resumes of waiting executions. Leave empty to derive it from this trigger\'s URL (its base URL followed by /webhook-waiting); set it when N8N_ENDPOINT_WEBHOOK_WAIT is changed or n8n cannot reach its own public URL.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// The platform has no API to register push URLs: the user pastes the URL (see the notice).
			// These methods only remember which URL the node was activated with.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.webhookUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				staticData.webhookUrl = this.getNodeWebhookUrl('default');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				delete staticData.webhookUrl;
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handlePush.call(this);
	}
}
