/** Route names (stats, request logs, faults) of the Data Extraction simulator. */
export const DATA_EXTRACTION_ROUTE_NAMES = [
  'dataExtractionCreate',
  'dataExtractionList',
  'dataExtractionGet',
  'dataExtractionFile',
] as const;
export type DataExtractionRouteName = (typeof DATA_EXTRACTION_ROUTE_NAMES)[number];
