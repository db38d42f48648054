import type { Provider } from '@nestjs/common';
import { DataExtractionPacer } from './de-call.pacer';
import { IncontactExportSource } from './incontact-export.source';
import { StorageDownloader } from './storage-download';

/** The export port of the incontact dialect, and the helpers its adapter needs. */
export const INCONTACT_EXPORT = IncontactExportSource;
export const INCONTACT_EXPORT_PROVIDERS: Provider[] = [DataExtractionPacer, StorageDownloader];
