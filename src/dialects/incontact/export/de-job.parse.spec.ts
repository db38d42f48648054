import { parseCreatedJobId, parseJobStatus, parseRunningJobs } from './de-job.parse';

const ID = '3f2b9a44-6c1e-4a8e-9d7e-0c9f1e2a7b11';

describe('Data Extraction answers', () => {
  it('read the created job id from a bare JSON string or from {jobId}', () => {
    expect(parseCreatedJobId(`"${ID}"`)).toBe(ID);
    expect(parseCreatedJobId(` "${ID}"\n`)).toBe(ID);
    expect(parseCreatedJobId(JSON.stringify({ jobId: ID }))).toBe(ID);
    expect(parseCreatedJobId(JSON.stringify({ JobId: ID }))).toBe(ID);
  });

  it('refuse a create answer that holds no id', () => {
    expect(() => parseCreatedJobId('"No known way to render data"')).toThrow(/no job id/);
    expect(() => parseCreatedJobId('No known way to render data')).toThrow(/no job id/);
    expect(() => parseCreatedJobId('{}')).toThrow(/no job id/);
    expect(() => parseCreatedJobId('[]')).toThrow(/no job id/);
  });

  it('map the job statuses in any letter case', () => {
    const poll = (status: string, result?: object) =>
      parseJobStatus({ jobStatus: { id: ID, status, ...(result ? { result } : {}) } }, ID);
    expect(poll('RUNNING')).toEqual({ id: ID, status: 'running' });
    expect(poll('Running')).toEqual({ id: ID, status: 'running' });
    expect(poll('Succeeded', { url: 'https://s3/x.csv?sig', errorMessage: null })).toEqual({
      id: ID,
      status: 'completed',
      url: 'https://s3/x.csv?sig',
    });
    expect(poll('FAILED', { errorMessage: 'permission missing' })).toEqual({
      id: ID,
      status: 'failed',
      errorMessage: 'permission missing',
      retryable: false,
    });
    expect(poll('failed')).toMatchObject({ errorMessage: 'No details', retryable: false });
    expect(poll('EXPIRED')).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/expired/),
    });
    expect(poll('CANCELLED')).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringMatching(/cancelled/),
    });
    expect(poll('SUCCEEDED').url).toBeUndefined();
  });

  it('refuse a poll answer of the wrong shape', () => {
    expect(() => parseJobStatus({}, ID)).toThrow(/jobStatus/);
    expect(() => parseJobStatus({ jobStatus: { id: ID, status: 'DONE' } }, ID)).toThrow(
      /unknown status "DONE"/,
    );
    expect(() => parseJobStatus({ jobStatus: { id: ID } }, ID)).toThrow(/no status/);
  });

  it('list only the RUNNING jobs, wherever the list sits', () => {
    const jobs = [
      { id: 'a', status: 'RUNNING' },
      { id: 'b', status: 'SUCCEEDED' },
      { id: 'c', status: 'running' },
    ];
    expect(parseRunningJobs({ jobs })).toEqual([
      { id: 'a', status: 'running' },
      { id: 'c', status: 'running' },
    ]);
    expect(parseRunningJobs({ resultSet: { Jobs: jobs } })).toHaveLength(2);
    expect(parseRunningJobs(undefined)).toEqual([]);
    expect(() => parseRunningJobs({ jobs: 'x' })).toThrow(/array/);
  });
});
