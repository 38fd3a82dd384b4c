import type { INode } from 'n8n-workflow';

/** The action node as unit tests hand it to errors and fake contexts (no engine involved). */
export const ACTION_NODE: INode = {
	id: '1',
	name: 'Huawei Voice Call',
	type: 'n8n-nodes-huawei-voicecall.huaweiVoiceCall',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
