import { parentPort, workerData } from 'node:worker_threads';
import { serveScan } from './scan-worker.serve';
import type { ScanWorkerData } from './window-scan.protocol';
import { scanWindow } from './window-scan';

/**
 * The export scan worker of JSON downloads: scanWindow on the body chunks the main thread posts
 * (see serveScan for the messages). Started once per window download by runHostedScan.
 */
if (parentPort) {
  const data = workerData as ScanWorkerData;
  serveScan(parentPort, data.committed, (input, committed, output) =>
    scanWindow(input, { ...data, committed }, output),
  );
}
