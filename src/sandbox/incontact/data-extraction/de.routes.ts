import type { HandlerResult, SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { handleDeJobCreate, handleDeJobGet, handleDeJobList } from './de-api.handlers';
import { handleDeFile } from './de-storage.handler';
import type { DataExtractionRouteName } from './de-route-names';
import { STORAGE_PATH_PREFIX } from './url-signer';

export interface DataExtractionRoute {
  name: DataExtractionRouteName;
  method: 'GET' | 'POST';
  /** `:param` segments match one path segment (their names are listed in sandbox.routes.ts). */
  path: string;
  handler: (state: SandboxState, req: SandboxRequest) => HandlerResult;
}

/**
 * The Data Extraction API (under the API host, not under /inContactAPI) and the storage route
 * its pre-signed URLs point at. Every handler checks its own credentials: the API routes a
 * bearer token, the storage route its URL signature (and the absence of a token).
 */
export const DATA_EXTRACTION_ROUTES: DataExtractionRoute[] = [
  {
    name: 'dataExtractionCreate',
    method: 'POST',
    path: '/data-extraction/v1/jobs',
    handler: handleDeJobCreate,
  },
  {
    name: 'dataExtractionList',
    method: 'GET',
    path: '/data-extraction/v1/jobs',
    handler: handleDeJobList,
  },
  {
    name: 'dataExtractionGet',
    method: 'GET',
    path: '/data-extraction/v1/jobs/:jobId',
    handler: handleDeJobGet,
  },
  {
    name: 'dataExtractionFile',
    method: 'GET',
    path: `${STORAGE_PATH_PREFIX}:file`,
    handler: handleDeFile,
  },
];
