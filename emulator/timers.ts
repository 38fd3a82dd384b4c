/**
 * Every timer the emulator starts goes through one TimerSet, so reset() and stop() can cancel them
 * all and leave no handle that keeps Node (or a jest worker) alive.
 */
import { clearTimeout, setTimeout } from '../dev/node.cjs';

export class TimerSet {
	private readonly handles = new Set<ReturnType<typeof setTimeout>>();

	/** Runs `fn` after `ms` real milliseconds unless cancelled first; returns a cancel function. */
	schedule(fn: () => void, ms: number): () => void {
		const handle = setTimeout(() => {
			this.handles.delete(handle);
			fn();
		}, Math.max(0, ms));
		this.handles.add(handle);
		return () => {
			if (this.handles.delete(handle)) clearTimeout(handle);
		};
	}

	/** A promise resolved after `ms`; cancelAll() leaves it pending forever (its work is abandoned). */
	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.schedule(resolve, ms);
		});
	}

	cancelAll(): void {
		for (const handle of this.handles) clearTimeout(handle);
		this.handles.clear();
	}

	get size(): number {
		return this.handles.size;
	}
}
