import { parseCreatedJobId, parseJobStatus, parseRunningJobs } from './de-job.parse';

const ID = '3f2b9a44-6c1e-4a8e-9d7e-0c9f1e2a7b11';

describe('Data Extraction answers', () => {
  it('read the created job id from a bare JSON string or from {jobId}', () => {
    expect(parseCreatedJobId(`"${ID}"`)).toBe(ID);
    expect(parseCreatedJobId(` "${ID}"\n`)).toBe(ID);
    expect(parseCreatedJobId(JSON.stringify({ jobId: ID }))).toBe(ID);
    expect(parseCreatedJobId(JSON.stringify({ JobId: ID }))).toBe(ID);
  });

  it('read a numeric job id (its format is not documented) as its decimal string', () => {
    expect(parseCreatedJobId('123')).toBe('123');
    expect(parseCreatedJobId(JSON.stringify({ jobId: 123 }))).toBe('123');
    expect(parseCreatedJobId(JSON.stringify({ id: 9_007_199_254_740_991 }))).toBe(
      '9007199254740991',
    );
    expect(parseCreatedJobId('"42"')).toBe('42');
    expect(parseCreatedJobId('{"jobId": 0}')).toBe('0');
    const poll = parseJobStatus({ jobStatus: { id: 123, status: 'RUNNING' } }, '123');
    expect(poll).toEqual({ id: '123', status: 'running' });
    expect(parseRunningJobs({ jobs: [{ id: 77, status: 'RUNNING' }] })).toEqual([
      { id: '77', status: 'running' },
    ]);
  });

  it('refuse a numeric id that is not a whole number JSON holds exactly', () => {
    expect(() => parseCreatedJobId('{"jobId": 1.5}')).toThrow(/no job id/);
    expect(() => parseCreatedJobId('{"jobId": 12345678901234567890}')).toThrow(/too large/);
    expect(() => parseCreatedJobId('true')).toThrow(/no job id/);
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
