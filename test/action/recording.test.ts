import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { B, FAST_OPTIONS, emulator, nodeError, placeCallParameters, received, runAction } from './setup';
const FILE = 'rec-0001.wav';
const BYTES = 32058;

let emu: Emulator;
let domain: string;
beforeAll(async () => {
	emu = await emulator({ recordings: [FILE], recordingBytes: BYTES, scripts: { [B]: { talkSeconds: 5 } } });
	domain = emu.baseUrl.replace(/^https?:\/\//, '');
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

const getUrl = (extra: Record<string, unknown> = {}) => ({
	resource: 'recording',
	operation: 'getDownloadUrl',
	options: FAST_OPTIONS,
	...extra,
});
const download = (extra: Record<string, unknown> = {}) => ({
	resource: 'recording',
	operation: 'download',
	options: FAST_OPTIONS,
	...extra,
});

function wavBytes(item: INodeExecutionData, property = 'data'): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`no binary property ${property}`);
	return Buffer.from(binary.data, 'base64');
}

/** Places a recorded callback of 5 s and returns its CDR, as the trigger would deliver it. */
async function recordedCallCdr(): Promise<IDataObject> {
	const run = await runAction(emu, placeCallParameters({ additionalFields: { recordFlag: true } }));
	const call = await emu.waitForCall(String(run.items[0].json.sessionId), 'ended');
	if (!call.cdr) throw new Error('no CDR');
	expect(call.cdr.recordFlag).toBe(1);
	return call.cdr as IDataObject;
}

describe('Recording → Get Download URL', () => {
	it('asks the record API and returns the 301 Location without following it', async () => {
		const run = await runAction(emu, getUrl({ fileName: FILE, recordDomain: domain }));
		const requests = received(emu, 'record');
		expect(requests).toHaveLength(1);
		expect(requests[0].body).toEqual({ fileName: FILE, recordDomain: domain });
		expect(requests[0].httpStatus).toBe(301);
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toEqual({
			fileName: FILE,
			recordDomain: domain,
			downloadUrl: expect.stringMatching(new RegExp(`^${emu.baseUrl}/files/rec-0001\\.wav\\?expires=\\d+$`)),
		});
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(run.items[0].binary).toBeUndefined();
	});

	it('reads a CDR item directly with the default expressions', async () => {
		const cdr = await recordedCallCdr();
		const run = await runAction(emu, getUrl(), { input: [{ json: cdr }] });
		expect(run.items[0].json).toMatchObject({ fileName: cdr.recordObjectName, recordDomain: cdr.recordDomain });
		expect(String(run.items[0].json.downloadUrl)).toContain(encodeURIComponent(String(cdr.recordObjectName)));
		expect(received(emu, 'record')[0].body).toEqual({ fileName: cdr.recordObjectName, recordDomain: cdr.recordDomain });
	});

	it('uses the CDR download URL when the record domain is empty, without calling the API', async () => {
		const cdr = await recordedCallCdr();
		const run = await runAction(emu, getUrl(), { input: [{ json: { ...cdr, recordDomain: '' } }] });
		expect(run.items[0].json).toEqual({
			fileName: cdr.recordObjectName,
			recordDomain: '',
			downloadUrl: cdr.recordFileDownloadUrl,
		});
		expect(received(emu, 'record')).toHaveLength(0);
	});

	it('an unknown recording gives the platform error; with Continue on Fail an error item with the code', async () => {
		const run = await runAction(emu, getUrl({ fileName: 'missing.wav', recordDomain: domain }), { continueOnFail: true });
		expect(run.items[0].json).toMatchObject({ code: '1010002' });
		expect(String(run.items[0].json.description)).toContain('The record does not exist.');
	});

	it('an item without recording details fails before any request, saying what to map', async () => {
		const run = await runAction(emu, getUrl(), { input: [{ json: { sessionId: 'x', recordFlag: 0 } }] });
		const error = nodeError(run);
		expect(error.message).toBe('File Name and Record Domain are empty');
		expect(error.description).toContain('recordObjectName');
		expect(emu.requests()).toHaveLength(0);
	});
});

describe('Recording → Download', () => {
	it('returns the WAV as binary data named after the record file', async () => {
		const run = await runAction(emu, download({ fileName: FILE, recordDomain: domain }));
		const item = run.items[0];
		expect(item.json).toEqual({
			fileName: FILE,
			recordDomain: domain,
			downloadUrl: expect.stringContaining(`${emu.baseUrl}/files/`),
			fileSize: BYTES,
		});
		expect(item.binary?.data).toMatchObject({ fileName: FILE, mimeType: 'audio/wav', fileExtension: 'wav' });
		const bytes = wavBytes(item);
		expect(bytes).toHaveLength(BYTES);
		expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
		expect(bytes.toString('ascii', 8, 12)).toBe('WAVE');
		expect(bytes.readUInt16LE(20)).toBe(6); // A-law
		expect(bytes.readUInt32LE(24)).toBe(8000);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('puts the file in the chosen binary property, from a CDR item, for several items in order', async () => {
		const first = await recordedCallCdr();
		const second = await recordedCallCdr();
		const run = await runAction(emu, download({ binaryPropertyName: 'recording' }), {
			input: [{ json: first }, { json: second }],
		});
		expect(run.items.map((item) => item.json.fileName)).toEqual([first.recordObjectName, second.recordObjectName]);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of run.items) {
			expect(item.binary?.data).toBeUndefined();
			expect(wavBytes(item, 'recording').toString('ascii', 0, 4)).toBe('RIFF');
		}
	});

	it('downloads from the CDR URL when the record domain is empty', async () => {
		const cdr = await recordedCallCdr();
		const run = await runAction(emu, download(), { input: [{ json: { ...cdr, recordDomain: '' } }] });
		expect(run.items[0].json).toMatchObject({ fileName: cdr.recordObjectName, fileSize: BYTES });
		expect(wavBytes(run.items[0]).toString('ascii', 8, 12)).toBe('WAVE');
		expect(received(emu, 'record')).toHaveLength(0);
	});

	it('an expired download address fails with a clear message', async () => {
		const run = await runAction(emu, download(), {
			input: [{ json: { recordObjectName: FILE, recordDomain: '', recordFileDownloadUrl: `${emu.baseUrl}/files/${FILE}?expires=1` } }],
			continueOnFail: true,
		});
		expect(run.items[0].json.error).toBe(`Could not download the recording ${FILE} (HTTP 404)`);
		expect(String(run.items[0].json.description)).toContain('expired');
		expect(run.items[0].binary).toBeUndefined();
	});
});
