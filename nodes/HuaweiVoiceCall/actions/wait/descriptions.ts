import {
	NodeOperationError,
	WAIT_INDEFINITELY,
	type IExecuteFunctions,
	type INodeProperties,
	type IWebhookDescription,
} from 'n8n-workflow';

/**
 * What the two waiting operations share: the restart webhook the trigger forwards pushes to, the
 * "Limit Wait Time" settings (as in n8n's own send-and-wait nodes) and the set-up notice.
 */

/**
 * The waiting webhook: `<n8n>/webhook-waiting/<execution id>?signature=<resume token>` reaches this
 * node's webhook() while the execution waits (restart webhooks are routed by execution, never
 * registered as production webhooks; docs/n8n.md §4), so it has no register/delete lifecycle.
 * The empty path keeps it apart from n8n's form-based send-and-wait (which uses the node id).
 */
export const WAITING_WEBHOOKS: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '',
		restartWebhook: true,
	},
];

export const waitSetupNotice: INodeProperties = {
	displayName:
		'The execution waits until the call\'s outcome is known, reported by the platform\'s status pushes. They reach it through a published workflow with the Huawei Voice Call Trigger: put that trigger\'s Production URL in Additional Fields → Status URL (or set it as the app\'s "呼叫状态接收地址" in the console). One input item per execution: use Loop Over Items to call several people in turn. The user data leaves room for a wake token: at most 161 characters of your own.',
	name: 'waitNotice',
	type: 'notice',
	default: '',
};

export const limitWaitTimeProperties: INodeProperties[] = [
	{
		displayName: 'Limit Wait Time',
		name: 'limitWaitTime',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop waiting after a while. Then the item continues on the last output with outcome "timedOut". Without a limit, an execution whose call never reports back (e.g. a wrong Status URL) waits forever.',
	},
	{
		displayName: 'Limit Type',
		name: 'limitType',
		type: 'options',
		default: 'afterTimeInterval',
		description: 'When to stop waiting',
		displayOptions: { show: { limitWaitTime: [true] } },
		options: [
			{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Waits for a certain amount of time' },
			{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until a date and time' },
		],
	},
	{
		displayName: 'Amount',
		name: 'resumeAmount',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description: 'How long to wait',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
	},
	{
		displayName: 'Unit',
		name: 'resumeUnit',
		type: 'options',
		default: 'minutes',
		description: 'Unit of the amount',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['afterTimeInterval'] } },
		options: [
			{ name: 'Seconds', value: 'seconds' },
			{ name: 'Minutes', value: 'minutes' },
			{ name: 'Hours', value: 'hours' },
			{ name: 'Days', value: 'days' },
		],
	},
	{
		displayName: 'Max Date and Time',
		name: 'maxDateAndTime',
		type: 'dateTime',
		default: '',
		description: 'Stop waiting at this date and time',
		displayOptions: { show: { limitWaitTime: [true], limitType: ['atSpecifiedTime'] } },
	},
];

const UNIT_MS: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** When the wait ends without a push (`WAIT_INDEFINITELY` without a limit). */
export function waitTillFromParameters(this: IExecuteFunctions): Date {
	if (!(this.getNodeParameter('limitWaitTime', 0, false) as boolean)) return WAIT_INDEFINITELY;
	const type = this.getNodeParameter('limitType', 0, 'afterTimeInterval') as string;
	let waitTill: Date;
	if (type === 'atSpecifiedTime') {
		waitTill = new Date(String(this.getNodeParameter('maxDateAndTime', 0, '')));
	} else {
		const amount = Number(this.getNodeParameter('resumeAmount', 0, 10));
		const unit = UNIT_MS[String(this.getNodeParameter('resumeUnit', 0, 'minutes'))] ?? UNIT_MS.minutes;
		waitTill = new Date(Date.now() + Math.max(0, amount) * unit);
	}
	if (Number.isNaN(waitTill.getTime())) {
		throw new NodeOperationError(this.getNode(), 'Limit Wait Time has no valid date', {
			description: 'Pick a Max Date and Time, or use After Time Interval with an amount.',
			itemIndex: 0,
		});
	}
	return waitTill;
}
