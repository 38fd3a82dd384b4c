/**
 * Call-outcome code tables of the status and CDR notifications (docs/platform.md §11.1–§11.3):
 * hang-up causes (`stateCode`), Q.850 causes (`fwdUnaswRsn`, `callOutUnaswRsn`) and disconnect
 * points (`ulFailReason`). `zh` is Huawei's own Chinese label, present only where the docs give one.
 * `outcome` is what the code says the call came to (see outcomes.ts), where it says something.
 */
import type { CallOutcome } from './outcomes';

export interface CodeText {
	en: string;
	zh?: string;
	/** What a call that ended with this code came to; absent when the code alone does not say. */
	outcome?: CallOutcome;
}

/** §11.1 hang-up cause values (通话挂机原因值, `stateCode` of the disconnect event). */
export const HANGUP_CAUSES: Readonly<Record<number, CodeText>> = Object.freeze({
	0: { en: 'Normal hang-up after connection', zh: '接通后主动挂机', outcome: 'answered' },
	7001: { en: 'Developer (account) call-frequency control', zh: '开发者呼叫频次管控', outcome: 'blocked' },
	7002: { en: 'App call-frequency control', zh: '应用呼叫频次管控', outcome: 'blocked' },
	7003: { en: 'Fixed/display number call-frequency control', zh: '固话号码呼叫频次管控', outcome: 'blocked' },
	7004: { en: 'Callee blacklist control', zh: '被叫黑名单呼叫管控', outcome: 'blocked' },
	7005: { en: 'Caller blacklist control', zh: '主叫黑名单呼叫管控', outcome: 'blocked' },
	7100: { en: 'App information does not exist', zh: 'app信息不存在' },
	7105: { en: 'Business type mismatch', zh: '业务类型不匹配' },
	7106: {
		en: 'App has not applied for the personal-number capability',
		zh: 'APP未申请个人小号能力',
	},
	7107: { en: 'Security-control prompt playback failed', zh: '安全管控提示音放音失败' },
	7108: { en: 'User (account) frozen', zh: '用户状态已冻结' },
	7109: { en: 'Insufficient voice ports', zh: '语音端口不足' },
	8000: { en: 'Internal error', zh: '内部错误' },
	8001: {
		en: 'User not connected. Possible causes: developer/app/number frequency control (with a 95-prefixed number, apply for a fixed number); line or carrier fault; callee powered off, no answer or busy',
		zh: '用户未接续成功',
	},
	8002: {
		en: 'Peer returned a failure announcement while connecting',
		zh: '接续用户时对端返回失败放音',
	},
	8003: { en: 'Ringing timeout', zh: '用户振铃超时', outcome: 'noAnswer' },
	8004: { en: 'User hung up while ringing', zh: '用户振铃时挂机', outcome: 'rejected' },
	8005: { en: 'TTS conversion failed', zh: 'TTS转换失败' },
	8006: { en: 'Voice file does not exist', zh: '放音文件不存在' },
	8007: { en: 'Playback to the user failed', zh: '给用户放音失败' },
	8008: {
		en: 'Digit collection failed, no input within 5 s after playback',
		zh: '放音收号失败',
		outcome: 'noInput',
	},
	8009: { en: 'Caller hung up before connection', zh: '接通前主叫用户主动挂机', outcome: 'cancelled' },
	8010: { en: 'Maximum call duration reached', zh: '超过通话最大时长挂机', outcome: 'answered' },
	8012: { en: 'Invalid app_key', zh: '无效的app_key' },
	8015: { en: 'Recording the user failed', zh: '给用户录音失败' },
	// Whether a terminate-API release reports 8017 is not documented (§11.1).
	8017: { en: 'Hang-up by user indication', zh: '用户指示挂机', outcome: 'cancelled' },
	8018: { en: 'No permission for the service', zh: '业务无权限' },
	8020: { en: 'Service exception', zh: '业务异常' },
	8100: { en: 'Callee number does not exist', zh: '被叫号码不存在', outcome: 'invalidNumber' },
	8101: { en: 'Callee no answer', zh: '被叫无应答', outcome: 'noAnswer' },
	8102: { en: 'Callee busy', zh: '被叫用户正忙', outcome: 'busy' },
	8103: { en: 'Callee temporarily unreachable', zh: '被叫用户暂时无法接通', outcome: 'unreachable' },
	8104: { en: 'Callee powered off', zh: '被叫已关机', outcome: 'unreachable' },
	8105: { en: 'Callee hung up or line suspended', zh: '被叫挂机或被叫已停机', outcome: 'rejected' },
	// 8106–8108 are undocumented; inferred as the caller-side mirror of 8100–8102, like 8109–8111
	// mirror 8103–8105. Only 8108's label appears in the docs.
	8106: { en: 'Caller number does not exist (inferred)', outcome: 'invalidNumber' },
	8107: { en: 'Caller no answer (inferred)', outcome: 'noAnswer' },
	8108: { en: 'Caller busy (inferred)', zh: '主叫用户正忙', outcome: 'busy' },
	8109: { en: 'Caller temporarily unreachable', zh: '主叫用户暂时无法接通', outcome: 'unreachable' },
	8110: { en: 'Caller powered off', zh: '主叫已关机', outcome: 'unreachable' },
	8111: { en: 'Caller hung up or line suspended', zh: '主叫挂机或主叫已停机', outcome: 'rejected' },
});

// Own-property check: the tables are plain objects, so inherited keys must never count as codes.
function lookup<T>(table: Readonly<Record<number, T>>, code: number): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : undefined;
}

export function describeHangupCause(code: number): CodeText | undefined {
	return lookup(HANGUP_CAUSES, Number(code));
}

/** §11.2 Appendix 1: Q.850 cause values. English is the ITU-T meaning, Chinese is Huawei's label. */
export const Q850_CAUSES: Readonly<Record<number, CodeText>> = Object.freeze({
	0: { en: 'Not applicable', zh: '不涉及' },
	1: { en: 'Unallocated number', zh: '无法找到号码', outcome: 'invalidNumber' },
	2: { en: 'No route to specified transit network', zh: '无法路由到网络', outcome: 'unreachable' },
	3: { en: 'No route to destination', zh: '无法路由到目的地', outcome: 'unreachable' },
	4: { en: 'Send special information tone', zh: '发送特殊消息' },
	5: { en: 'Misdialled trunk prefix', zh: '中继前缀出错' },
	6: { en: 'Channel unacceptable', zh: '通道无法接入' },
	7: { en: 'Call awarded in established channel', zh: '已经建立频道' },
	8: { en: 'Preemption', zh: '抢先占有' },
	9: { en: 'Preemption, circuit reserved', zh: '抢先占有保留' },
	16: { en: 'Normal call clearing', zh: '正常呼叫清除' },
	17: { en: 'User busy', zh: '用户忙', outcome: 'busy' },
	18: { en: 'No user responding', zh: '无应答', outcome: 'noAnswer' },
	19: { en: 'No answer from user', zh: '无用户应答', outcome: 'noAnswer' },
	20: { en: 'Subscriber absent', zh: '用户不可及', outcome: 'unreachable' },
	21: { en: 'Call rejected', zh: '拒绝呼叫', outcome: 'rejected' },
	22: { en: 'Number changed', zh: '号码已改变', outcome: 'invalidNumber' },
	23: { en: 'Redirection to new destination', zh: '重定向' },
	25: { en: 'Exchange routing error', zh: '交换路由错误' },
	26: { en: 'Non-selected user clearing', zh: '无用户准许' },
	27: { en: 'Destination out of order', zh: '目标无序', outcome: 'unreachable' },
	28: { en: 'Invalid number format', zh: '非法号码格式', outcome: 'invalidNumber' },
	29: { en: 'Facility rejected', zh: '设备拒绝' },
	30: { en: 'Response to STATUS ENQUIRY', zh: '状态查询' },
	31: { en: 'Normal, unspecified', zh: '正常' },
	34: { en: 'No circuit/channel available', zh: '路由不可达', outcome: 'unreachable' },
	38: { en: 'Network out of order', zh: '网络状态不好', outcome: 'unreachable' },
	39: { en: 'Permanent frame-mode connection out of service', zh: '服务链接不上' },
	40: { en: 'Permanent frame-mode connection operational', zh: '链接进行中' },
	41: { en: 'Temporary failure', zh: '暂时失败', outcome: 'unreachable' },
	42: { en: 'Switching equipment congestion', zh: '设备拥塞', outcome: 'unreachable' },
	43: { en: 'Access information discarded', zh: '信息丢弃' },
	44: { en: 'Requested channel not available', zh: '通道无法接入', outcome: 'unreachable' },
	46: { en: 'Precedence call blocked', zh: '呼叫阻塞' },
	47: { en: 'Resource unavailable', zh: '无可用资源', outcome: 'unreachable' },
	49: { en: 'Quality of service not available', zh: '品质无效' },
	50: { en: 'Requested facility not subscribed', zh: '设备没预订' },
	53: { en: 'Outgoing calls barred within CUG', zh: '闭合群OCB呼出受限' },
	55: { en: 'Incoming calls barred within CUG', zh: '闭合群ICB呼入受限' },
	57: { en: 'Bearer capability not authorized', zh: '无权限发送' },
	58: { en: 'Bearer capability not presently available', zh: '发送无效' },
	62: { en: 'Inconsistency in outgoing information', zh: '等级不一致' },
	63: { en: 'Service or option not available', zh: '服务无效' },
	65: { en: 'Bearer capability not implemented', zh: '发送无法执行' },
	66: { en: 'Channel type not implemented', zh: '通道无法执行' },
	69: { en: 'Requested facility not implemented', zh: '设备无效' },
	70: { en: 'Only restricted digital bearer available', zh: '发送有效' },
	79: { en: 'Service/option not implemented', zh: 'CV服务没设置' },
	81: { en: 'Invalid call reference value', zh: '引用非法值' },
	82: { en: 'Identified channel does not exist', zh: '通道不存在' },
	83: { en: 'Suspended call exists, identity does not', zh: 'ID不存在' },
	84: { en: 'Call identity in use', zh: '呼叫ID不存在' },
	85: { en: 'No call suspended', zh: '无呼叫等待' },
	86: { en: 'Call with requested identity cleared', zh: '隐藏号码呼叫' },
	87: { en: 'User not member of CUG', zh: 'CUG无成员' },
	88: { en: 'Incompatible destination', zh: '目标冲突' },
	90: { en: 'Non-existent CUG', zh: 'CUG不存在' },
	91: { en: 'Invalid transit network selection', zh: '无效网络' },
	95: { en: 'Invalid message', zh: '无效信息' },
	96: { en: 'Mandatory IE missing', zh: '非托管元素' },
	97: { en: 'Message type non-existent', zh: '类型不存在' },
	98: { en: 'Message not compatible with call state', zh: '信息没执行' },
	99: { en: 'IE non-existent or not implemented', zh: '信息单元不存在' },
	100: { en: 'Invalid IE contents', zh: '无效的信息单元' },
	101: { en: 'Message not compatible with call state', zh: '呼叫状态不一致' },
	102: { en: 'Recovery on timer expiry', zh: '定时器超时' },
	103: { en: 'Parameter non-existent', zh: '参数不存在' },
	110: { en: 'Message with unrecognised parameter', zh: '消息中带有未识别的参数' },
	111: { en: 'Protocol error', zh: '协议错误' },
	127: { en: 'Interworking, unspecified', zh: '未指定的交互' },
});

export function describeQ850Cause(code: number): CodeText | undefined {
	return lookup(Q850_CAUSES, Number(code));
}

// §11.3 writes paired codes as "501 / 502" and one range as 2901–2914; each gets its own entry.
const RECORDING_FAILURES: Record<number, CodeText> = {};
for (let code = 2901; code <= 2914; code++) {
	RECORDING_FAILURES[code] = { en: `Recording failure (${code})` };
}

/** §11.3 Appendix 2: disconnect points (呼叫拆线点, `ulFailReason`). Ranges are resolved by describeDisconnectPoint. */
export const DISCONNECT_POINTS: Readonly<Record<number, CodeText>> = Object.freeze({
	0: { en: 'Normal hang-up after connection' },
	100: { en: 'No digits collected (press within 5 s after playback)', outcome: 'noInput' },
	501: { en: 'Recording: conference creation failed' },
	502: { en: 'Recording: conference creation timed out' },
	503: { en: 'Recording: caller joining the conference failed' },
	504: { en: 'Recording: caller joining the conference timed out' },
	505: { en: 'Recording: adding the recording endpoint failed' },
	506: { en: 'Recording: adding the recording endpoint timed out' },
	507: { en: 'Starting the recording failed' },
	508: { en: 'Starting the recording timed out' },
	509: { en: 'Playing the recording hint failed' },
	510: { en: 'Playing the recording hint timed out' },
	512: { en: 'Recording VCU switchover released the call' },
	513: { en: 'Call timeout' },
	514: { en: 'Ringing timeout', outcome: 'noAnswer' },
	515: { en: 'Remote user cancelled', outcome: 'cancelled' },
	516: { en: 'Local user cancelled', outcome: 'cancelled' },
	517: { en: 'Platform response timeout' },
	518: { en: 'Remote user call failed (see the Q.850 cause)' },
	519: { en: 'Local user call failed (0XX response; see Q.850)' },
	520: { en: 'Local user call failed (18X; see Q.850)' },
	521: { en: 'Remote released before ringing' },
	522: { en: 'Insufficient voice ports' },
	524: { en: 'Voice file does not exist' },
	526: { en: 'Mute failed' },
	527: { en: 'Unmute failed' },
	528: { en: 'Calling numbers without the allowed prefix is restricted' },
	529: { en: 'appkey does not exist' },
	530: { en: 'Caller hung up before forward', outcome: 'cancelled' },
	539: { en: 'Recording flow unfinished: caller hung up' },
	540: { en: 'Recording flow unfinished: callee hung up' },
	541: { en: 'Re-negotiation with the caller after the callee answered failed' },
	542: { en: 'Recording timeout released the call' },
	550: { en: 'Local call ringing failed' },
	551: { en: 'Click-to-call: local side received 0XX' },
	552: { en: 'Local user hung up while the remote was ringing', outcome: 'cancelled' },
	553: { en: 'Local user hung up before the remote rang', outcome: 'cancelled' },
	1001: { en: 'Agent hung up' },
	1002: { en: 'User hung up' },
	1003: { en: 'SP called the switchboard release API' },
	1004: { en: 'Agent blind-transferred and hung up after click-to-call' },
	2801: { en: 'IVR playback failed' },
	2802: { en: 'IVR rule invalid' },
	2803: { en: 'IVR key presses exceeded the maximum' },
	2805: { en: 'IVR outside service time (-1)' },
	2806: { en: 'IVR outside service time (-2)' },
	2810: { en: 'MRF not configured' },
	2811: { en: 'ICSCF not configured' },
	2812: { en: 'Playback timeout' },
	2825: { en: 'Satisfaction survey ended (-1)' },
	2829: { en: 'Extension dialled: callee busy or no answer' },
	2831: { en: 'Enterprise incoming-call licence limit' },
	2837: { en: 'Playback failed' },
	2838: { en: 'INVITE timeout release' },
	2847: { en: 'Switchboard line selection: no available agent' },
	2853: { en: 'Agent unavailable, incoming call rejected' },
	2863: { en: 'Voicemail: recording creation failed' },
	2868: { en: 'Enterprise suspended' },
	2871: { en: 'Dynamic IVR: timeout waiting for the SP instruction' },
	...RECORDING_FAILURES,
});

/**
 * Standard SIP reason phrases (RFC 3261) of the statuses most often seen in `sipStatusCode` and as
 * disconnect points, with what they say about the call.
 */
export const SIP_STATUSES: Readonly<Record<number, { phrase: string; outcome?: CallOutcome }>> = Object.freeze({
	400: { phrase: 'Bad Request' },
	403: { phrase: 'Forbidden' },
	404: { phrase: 'Not Found', outcome: 'invalidNumber' },
	408: { phrase: 'Request Timeout', outcome: 'noAnswer' },
	410: { phrase: 'Gone', outcome: 'unreachable' },
	480: { phrase: 'Temporarily Unavailable', outcome: 'unreachable' },
	484: { phrase: 'Address Incomplete', outcome: 'invalidNumber' },
	486: { phrase: 'Busy Here', outcome: 'busy' },
	487: { phrase: 'Request Terminated', outcome: 'cancelled' },
	488: { phrase: 'Not Acceptable Here' },
	500: { phrase: 'Server Internal Error' },
	503: { phrase: 'Service Unavailable', outcome: 'unreachable' },
	600: { phrase: 'Busy Everywhere', outcome: 'busy' },
	603: { phrase: 'Decline', outcome: 'rejected' },
	604: { phrase: 'Does Not Exist Anywhere', outcome: 'invalidNumber' },
});

export function describeSipStatus(code: number): { phrase: string; outcome?: CallOutcome } | undefined {
	return lookup(SIP_STATUSES, Number(code));
}

/**
 * The §11.3 ranges that have no row of their own: a SIP status of the failed leg (used when there
 * is no Q.850 cause), and the hang-up cause numbers, which keep their §11.1 meaning. Explicit rows
 * win over these ranges, because §11.3 gives 501–553 their own platform meanings.
 */
export const DISCONNECT_POINT_RANGES: ReadonlyArray<{
	from: number;
	to: number;
	kind: 'sipStatus' | 'hangupCause';
	en: string;
}> = Object.freeze([
	{ from: 400, to: 699, kind: 'sipStatus', en: 'SIP status code of the failed leg, used when there is no Q.850 cause' },
	{ from: 7001, to: 7109, kind: 'hangupCause', en: 'Same meaning as the hang-up cause with this number' },
	{ from: 8000, to: 8111, kind: 'hangupCause', en: 'Same meaning as the hang-up cause with this number' },
] as const);

/**
 * Also resolves DISCONNECT_POINT_RANGES: a SIP status → `SIP status <n>` (with the standard SIP
 * reason phrase for common codes), a hang-up cause number → the hang-up cause text.
 */
export function describeDisconnectPoint(code: number): CodeText | undefined {
	const n = Number(code);
	const row = lookup(DISCONNECT_POINTS, n);
	if (row) return row;
	if (!Number.isInteger(n)) return undefined;
	const range = DISCONNECT_POINT_RANGES.find(({ from, to }) => n >= from && n <= to);
	if (range === undefined) return undefined;
	if (range.kind === 'hangupCause') return describeHangupCause(n);
	const sip = describeSipStatus(n);
	return { en: sip ? `SIP status ${n} (${sip.phrase})` : `SIP status ${n}`, outcome: sip?.outcome };
}
