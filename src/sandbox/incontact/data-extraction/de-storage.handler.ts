import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { dataExtractionOf } from './data-extraction.state';
import { csvFileChunks, fileRowCount } from './de-file';
import { storageError, streamResult } from './raw-results';

/**
 * GET of a pre-signed URL, answered like S3: no Authorization header allowed next to the
 * query-string signature (400), a bad signature or a lapsed URL is 403, a file that is gone
 * (EXPIRED job) 404; otherwise the job's CSV, streamed. A `truncatedGzip` fault on this route
 * cuts the file halfway through a record and drops the connection.
 */
export function handleDeFile(state: SandboxState, req: SandboxRequest): HandlerResult {
  const de = dataExtractionOf(state);
  if (req.headers.authorization !== undefined) {
    de.storage.refusedAuthorization += 1;
    return storageError(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature ' +
        'query string parameter or the Authorization header should be specified',
    );
  }
  const name = req.params.file;
  const jobId = name.endsWith('.csv') ? name.slice(0, -4) : name;
  const check = de.signer.check(jobId, req.query, de.now());
  if (check === 'badSignature') {
    de.storage.badSignature += 1;
    return storageError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  if (check === 'expired') {
    de.storage.expired += 1;
    return storageError(403, 'AccessDenied', 'Request has expired');
  }
  const job = de.jobs.byId(jobId);
  if (!job || de.jobs.status(job) !== 'SUCCEEDED') {
    de.storage.notFound += 1;
    return storageError(404, 'NoSuchKey', 'The specified key does not exist.');
  }
  const cut = state.faults.take('dataExtractionFile', 'truncatedGzip');
  if (cut) de.storage.truncated += 1;
  else de.storage.served += 1;
  const cutAfterRows = cut ? Math.floor(fileRowCount(job.plan) / 2) : undefined;
  // A cut file is shaped while streaming: only a whole one can be the prerendered bytes.
  const prerendered = cut ? undefined : job.prerender?.parts;
  if (prerendered) de.storage.prerendered += 1;
  return streamResult({
    headers: {
      'Content-Type': 'text/csv',
      'Content-Disposition': `attachment; filename="${job.plan.entity.entityName}-${job.id}.csv"`,
    },
    chunks: prerendered ?? csvFileChunks(job.plan, cutAfterRows),
    cut,
  });
}
