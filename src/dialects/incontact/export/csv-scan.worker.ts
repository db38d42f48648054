import { parentPort, workerData } from 'node:worker_threads';
import type { SharedKeySet } from '../../../common/collections/compact-key-set';
import { serveScan } from '../../../export/scan-worker.serve';
import { scanCsv, type CsvScanData } from './csv-scan';

/**
 * The export scan worker of Data Extraction CSV files: scanCsv on the body chunks the main
 * thread posts (see serveScan for the messages). Started once per window download by
 * runRecordPipeline, through the `hosted` part of readCsvRecords' download.
 */
if (parentPort) {
  const data = workerData as CsvScanData & { committed: SharedKeySet | null };
  serveScan(parentPort, data.committed, (input, committed, output) =>
    scanCsv(input, data.options, committed, output),
  );
}
