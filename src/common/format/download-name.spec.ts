import { attachmentHeader, downloadFileName } from './download-name';

describe('downloadFileName', () => {
  it('names a download after its route and parameters', () => {
    expect(
      downloadFileName(
        '/v1/agents/:agentId/state-history',
        { agentId: 'a0000000-0000-4000-8000-000000000001' },
        'csv',
      ),
    ).toBe('agents-a0000000-0000-4000-8000-000000000001-state-history.csv');
    expect(downloadFileName('/v1/queues/stats', {}, 'ndjson')).toBe('queues-stats.ndjson');
    expect(downloadFileName('/api/v1/analytics/query', undefined, 'csv')).toBe(
      'analytics-query.csv',
    );
  });

  it('keeps only file-system-safe characters, so a header cannot be broken out of', () => {
    const name = downloadFileName('/v1/exports/:id/records', { id: 'x"; evil=1\r\n/..' }, 'csv');
    expect(name).toBe('exports-x_evil_1_..-records.csv');
    expect(attachmentHeader(name)).toBe(`attachment; filename="${name}"`);
  });

  it('falls back to a generic name', () => {
    expect(downloadFileName(undefined, undefined, 'json')).toBe('download.json');
  });
});
