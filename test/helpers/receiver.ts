/**
 * A tiny local webhook receiver for tests (127.0.0.1 only): records every request and answers with
 * a status chosen per request. Waits are event-driven and bounded by a timeout.
 */
import { events, http, net } from '../../dev/node.cjs';

type IncomingMessage = InstanceType<typeof http.IncomingMessage>;
type Socket = InstanceType<typeof net.Socket>;

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	rawBody: Buffer;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
	/** The status the receiver answered with. */
	status: number;
	receivedAt: number;
}

export type Responder = (req: ReceivedRequest) => number;

export interface Receiver {
	baseUrl: string;
	url(path: string): string;
	requests: ReceivedRequest[];
	/** Resolves with the first recorded request matching the predicate (past or future). */
	waitFor(predicate: (req: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
	/** Resolves when `count` recorded requests match the predicate. */
	waitForCount(predicate: (req: ReceivedRequest) => boolean, count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	/** Answers with a fixed status, or a sequence (the last one repeats), or a function. */
	setStatus(status: number | number[] | Responder): void;
	stop(): Promise<void>;
}

export async function startReceiver(options: { respond?: Responder } = {}): Promise<Receiver> {
	const requests: ReceivedRequest[] = [];
	const emitter = new events.EventEmitter();
	emitter.setMaxListeners(0);
	let responder: Responder = options.respond ?? (() => 200);
	const sockets = new Set<Socket>();

	const server = http.createServer((req: IncomingMessage, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks);
			const body = rawBody.toString('utf8');
			let json: unknown;
			try {
				json = JSON.parse(body);
			} catch {
				json = undefined;
			}
			const record: ReceivedRequest = {
				method: req.method ?? '',
				path: req.url ?? '/',
				headers: { ...req.headers },
				body,
				rawBody,
				json,
				status: 200,
				receivedAt: Date.now(),
			};
			record.status = responder(record);
			requests.push(record);
			res.writeHead(record.status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': '0' });
			res.end();
			emitter.emit('request', record);
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const baseUrl = `http://127.0.0.1:${port}`;

	const waitForCount = (
		predicate: (req: ReceivedRequest) => boolean,
		count: number,
		timeoutMs = 5000,
	): Promise<ReceivedRequest[]> => {
		const matches = (): ReceivedRequest[] => requests.filter(predicate);
		if (matches().length >= count) return Promise.resolve(matches().slice(0, count));
		return new Promise((resolve, reject) => {
			const onRequest = (): void => {
				const found = matches();
				if (found.length >= count) {
					cleanup();
					resolve(found.slice(0, count));
				}
			};
			// An abort signal (not a timer global) bounds the wait; it does not keep the process alive.
			const signal = AbortSignal.timeout(timeoutMs);
			const onAbort = (): void => {
				cleanup();
				reject(new Error(`Receiver: timed out after ${timeoutMs} ms waiting for ${count} matching request(s); got ${matches().length} of ${requests.length}`));
			};
			const cleanup = (): void => {
				emitter.off('request', onRequest);
				signal.removeEventListener('abort', onAbort);
			};
			emitter.on('request', onRequest);
			signal.addEventListener('abort', onAbort);
		});
	};

	return {
		baseUrl,
		url: (path: string) => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
		requests,
		waitForCount,
		waitFor: async (predicate, timeoutMs) => (await waitForCount(predicate, 1, timeoutMs))[0],
		setStatus(status) {
			if (typeof status === 'function') {
				responder = status;
			} else if (Array.isArray(status)) {
				const sequence = [...status];
				responder = () => (sequence.length > 1 ? (sequence.shift() as number) : sequence[0]);
			} else {
				responder = () => status;
			}
		},
		stop: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
