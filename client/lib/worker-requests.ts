// One Web Worker answering numbered requests, with the main thread as the fallback where
// workers are unavailable (or one fails to start). A worker that dies answers every waiting
// request with a message and is made again on the next request.

/** What a worker posts back: the request's id and a result, or why there is none. */
export type WorkerAnswer<T> = { id: number; ok: false; message: string } | ({ id: number; ok: true } & T);

export interface WorkerRequests<Req, T> {
  /** The answer's payload, or a message saying why there is none. */
  ask(request: Req): Promise<T | string>;
}

/**
 * `start` makes the worker (it must call `new Worker(new URL(…, import.meta.url))` itself so
 * the bundler sees the worker's file); `pick` takes the result out of a successful answer;
 * `onMainThread` computes the same result without a worker.
 */
export function workerRequests<Req extends object, T, A extends object>(
  start: () => Worker,
  pick: (answer: { id: number; ok: true } & A) => T,
  onMainThread: (request: Req) => T,
): WorkerRequests<Req, T> {
  let worker: Worker | null = null;
  let next = 1;
  const waiting = new Map<number, (a: WorkerAnswer<A>) => void>();

  function getWorker(): Worker | null {
    if (worker) return worker;
    if (typeof Worker === 'undefined') return null;
    try {
      worker = start();
      worker.onmessage = (e: MessageEvent<WorkerAnswer<A>>) => {
        const f = waiting.get(e.data.id);
        waiting.delete(e.data.id);
        f?.(e.data);
      };
      worker.onerror = () => {
        for (const f of waiting.values()) f({ id: 0, ok: false, message: 'the explorer stopped unexpectedly; reload the page' });
        waiting.clear();
        worker = null;
      };
      return worker;
    } catch {
      return null;
    }
  }

  return {
    ask(request) {
      const w = getWorker();
      if (!w) {
        return new Promise((resolve) => setTimeout(() => {
          try { resolve(onMainThread(request)); } catch (e) { resolve(e instanceof Error ? e.message : String(e)); }
        }, 0));
      }
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, (a) => resolve(a.ok ? pick(a) : a.message));
        w.postMessage({ id, ...request });
      });
    },
  };
}
