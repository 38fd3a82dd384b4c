import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { COLLECT_DIGITS_MAX, DTMF_KEYS_PATTERN } from '../../../shared/platform/fields';
import { FieldError, integerInRange } from '../../validation';
import type { SendContext } from '../types';
import type { WaitSettings } from '../wait/decide';
import { limitWaitTimeProperties, waitSetupNotice } from '../wait/descriptions';
import * as send from './send.operation';

/**
 * Voice Notification → Send and Wait for Response: the call of Send (same fields), then the
 * execution waits for the callee's keys and continues on Approved / Declined / No Response
 * (Approval) or Digits Received / No Response (Digits). The waiting itself is in actions/wait/.
 */

const properties: INodeProperties[] = [
	waitSetupNotice,
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The callee presses one key sequence to approve and another to decline',
			},
			{ name: 'Digits', value: 'digits', description: 'Continue with whatever keys the callee presses' },
		],
		description: 'What the callee answers with their keypad',
	},
	{
		displayName: 'Approve Keys',
		name: 'approveKeys',
		type: 'string',
		default: '1',
		placeholder: 'e.g. 1',
		description:
			'The keys that approve, e.g. 1. Say them in the voice file or template ("press 1 to approve"). 1 to 32 of 0-9, * and #.',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Decline Keys',
		name: 'declineKeys',
		type: 'string',
		default: '2',
		placeholder: 'e.g. 2',
		description:
			'The keys that decline, e.g. 2. Leave empty to approve only: then any other answer continues on No Response.',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Max Digits',
		name: 'maxDigits',
		type: 'number',
		default: 6,
		typeOptions: { minValue: 1, maxValue: COLLECT_DIGITS_MAX },
		description:
			'How many keys to collect at most, when no play segment sets Collect Digits itself (then the last segment collects)',
		displayOptions: { show: { responseType: ['digits'] } },
	},
	...limitWaitTimeProperties,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['notification'], operation: ['sendAndWaitForResponse'] } },
	properties,
);

export const label = 'Send and Wait for Response';
export const echoFields = send.ECHO_FIELDS;
export const placesCall = true;

function keys(value: unknown, field: string, required: boolean): string {
	const text = typeof value === 'string' ? value.trim() : String(value ?? '').trim();
	if (text === '' && !required) return '';
	if (!DTMF_KEYS_PATTERN.test(text)) {
		throw new FieldError(
			field,
			text === '' ? `${field} is empty` : `${field} is not a valid key sequence: "${text.slice(0, 40)}"`,
			'Enter the keys the callee presses: 1 to 32 of 0-9, * and #, e.g. 1.',
		);
	}
	return text;
}

export function waitSettings(this: IExecuteFunctions, itemIndex: number): WaitSettings {
	if (this.getNodeParameter('responseType', itemIndex, 'approval') === 'digits') {
		return { kind: 'response', responseType: 'digits' };
	}
	const approveKeys = keys(this.getNodeParameter('approveKeys', itemIndex, '1'), 'Approve Keys', true);
	const declineKeys = keys(this.getNodeParameter('declineKeys', itemIndex, '2'), 'Decline Keys', false);
	if (approveKeys === declineKeys) {
		throw new FieldError('Decline Keys', 'Approve Keys and Decline Keys are the same', 'Use different keys, e.g. 1 to approve and 2 to decline.');
	}
	return { kind: 'response', responseType: 'approval', approveKeys, declineKeys };
}

/** Send's request, with digit collection on the last segment when no segment collects yet. */
export function prepare(this: IExecuteFunctions, itemIndex: number): send.Prepared {
	const prepared = send.prepare.call(this, itemIndex);
	const segments = prepared.body.playInfoList as IDataObject[];
	if (!segments.some((segment) => Number(segment.collectInd ?? 0) > 0)) {
		const settings = waitSettings.call(this, itemIndex);
		const length =
			settings.responseType === 'digits'
				? (integerInRange(this.getNodeParameter('maxDigits', itemIndex, 6), 'Max Digits', 1, COLLECT_DIGITS_MAX) ?? 6)
				: Math.max(settings.approveKeys?.length ?? 1, settings.declineKeys?.length ?? 0);
		segments[segments.length - 1] = { ...segments[segments.length - 1], collectInd: length };
	}
	return prepared;
}

export async function execute(this: IExecuteFunctions, prepared: send.Prepared, context: SendContext): Promise<INodeExecutionData> {
	return await send.execute.call(this, prepared, context);
}
