/* Types for dev/node.cjs: see that file for why it exists. */
export declare const http: typeof import('node:http');
export declare const net: typeof import('node:net');
export declare const fs: typeof import('node:fs');
export declare const fsp: typeof import('node:fs/promises');
export declare const path: typeof import('node:path');
export declare const os: typeof import('node:os');
export declare const url: typeof import('node:url');
export declare const crypto: typeof import('node:crypto');
export declare const childProcess: typeof import('node:child_process');
export declare const events: typeof import('node:events');
export declare const stream: typeof import('node:stream');
export declare const proc: NodeJS.Process;
export declare const repoRoot: string;
export declare function setTimeout(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout;
export declare function clearTimeout(handle: NodeJS.Timeout | undefined): void;
export declare function setInterval(fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): NodeJS.Timeout;
export declare function clearInterval(handle: NodeJS.Timeout | undefined): void;
export declare function delay(ms: number): Promise<void>;
/** `require` of an absolute path (the benchmarks load n8n's own nodes from the pinned runtime). */
export declare function requireFile(file: string): unknown;
