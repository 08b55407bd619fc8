import { parentPort } from 'node:worker_threads';
import { executeInVm, QuickJsInstances, type VmRequest, type VmResult } from './sandbox-vm';

export interface WorkerRequest {
  id: number;
  req: VmRequest;
}

export type WorkerMessage = { ready: true } | { ready?: undefined; id: number; result: VmResult };

/** Worker-thread entry: compiles the QuickJS WASM module once, then runs one script a message. */
export async function serveSandbox(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveSandbox runs on a worker thread');
  const instances = await QuickJsInstances.load();
  await instances.forLimit(32);
  // The pool sends the next script only after this one's answer, so runs never overlap.
  port.on('message', ({ id, req }: WorkerRequest) => {
    void run(instances, req).then((result) =>
      port.postMessage({ id, result } satisfies WorkerMessage),
    );
  });
  port.postMessage({ ready: true } satisfies WorkerMessage);
}

async function run(instances: QuickJsInstances, req: VmRequest): Promise<VmResult> {
  try {
    const qjs = await instances.forLimit(req.memoryMb);
    return executeInVm(qjs, req, () => instances.exhausted);
  } catch {
    // The WASM instance may be left inconsistent by a failure on the host side of it.
    instances.discard();
    return { ok: false, code: 'SCRIPT_ERROR', message: 'the sandbox failed', logs: [] };
  }
}
