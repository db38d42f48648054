import type { JsonResult, TextResult } from '../sandbox-http';
import { acdError, acceptsJson, finishAcd, renderList } from './acd-response';
import { DEFAULT_INCONTACT_QUIRKS, type IncontactQuirks } from './quirks';

const quirks = (patch: Partial<IncontactQuirks> = {}): IncontactQuirks => ({
  ...DEFAULT_INCONTACT_QUIRKS,
  ...patch,
});
const list = {
  arrayKey: 'skillSummaries',
  items: [{ skillId: 10477448, isOutbound: false, serviceLevel: 99.81 }],
  meta: { totalRecords: 1, businessUnitId: 459957 },
  emptyIsNoContent: true,
};

describe('renderList', () => {
  it('answers v21 in the captured style: every value a string, "True"/"False"', () => {
    const result = renderList(quirks(), 21, list) as JsonResult;
    expect(result.body).toEqual({
      totalRecords: '1',
      businessUnitId: '459957',
      skillSummaries: [{ skillId: '10477448', isOutbound: 'False', serviceLevel: '99.81' }],
    });
    expect(result.headers).toEqual({ icStatusDescription: 'Success' });
  });

  it('answers newer versions typed', () => {
    expect((renderList(quirks(), 30, list) as JsonResult).body).toEqual({
      totalRecords: 1,
      businessUnitId: 459957,
      skillSummaries: list.items,
    });
  });

  it('wraps in resultSet / resultset and PascalCases keys when asked', () => {
    const wrapped = renderList(quirks({ wrapper: 'resultset', keyCase: 'pascal' }), 30, list);
    expect((wrapped as JsonResult).body).toEqual({
      resultset: {
        TotalRecords: 1,
        BusinessUnitId: 459957,
        SkillSummaries: [{ SkillId: 10477448, IsOutbound: false, ServiceLevel: 99.81 }],
      },
    });
    const slaOnly = renderList(quirks({ keyCase: 'pascal-sla' }), 30, list) as JsonResult;
    expect(slaOnly.body).toHaveProperty('skillSummaries');
    const sla = renderList(quirks({ keyCase: 'pascal-sla' }), 30, { ...list, slaKeys: true });
    expect((sla as JsonResult).body).toHaveProperty('SkillSummaries');
  });

  it('answers an empty window 204, or 200 with an empty array', () => {
    const empty = { ...list, items: [] };
    expect(renderList(quirks(), 30, empty)).toMatchObject({ kind: 'text', status: 204, text: '' });
    expect(renderList(quirks({ emptyAs: 'empty-array' }), 30, empty)).toMatchObject({
      status: 200,
      body: { skillSummaries: [] },
    });
    expect(renderList(quirks(), 30, { ...empty, emptyIsNoContent: false })).toMatchObject({
      status: 200,
    });
  });
});

describe('Accept and the "No known way to render data" answer', () => {
  it.each([
    ['missing', undefined, false],
    ['missing', '*/*', true],
    ['not-json', '*/*', false],
    ['not-json', 'text/html, application/json;q=0.9', true],
    ['not-json', 'application/*', true],
    ['off', undefined, true],
  ] as const)('rule %s, Accept %s → renders JSON: %s', (rule, accept, expected) => {
    expect(acceptsJson(accept === undefined ? {} : { accept }, rule)).toBe(expected);
  });

  it('replaces a success with the text, in the usual status unless one is configured', () => {
    const ok = renderList(quirks(), 30, list);
    const text = finishAcd(quirks(), {}, ok) as TextResult;
    expect(text).toMatchObject({
      status: 200,
      text: 'No known way to render data',
      contentType: 'application/html',
    });
    const quoted = finishAcd(quirks({ noAcceptBody: 'quoted', noAcceptStatus: 406 }), {}, ok);
    expect(quoted).toMatchObject({ status: 406, text: '"No known way to render data"' });
    expect(finishAcd(quirks(), { accept: 'application/json' }, ok)).toBe(ok);
  });
});

describe('errors', () => {
  it('carry the message in the body and in icStatusDescription', () => {
    const error = acdError(400, 'InvalidParameter', 'startDate is required');
    expect(error).toMatchObject({
      status: 400,
      body: { error: 'InvalidParameter', errorDescription: 'startDate is required' },
      headers: { icStatusDescription: 'startDate is required' },
    });
    expect(finishAcd(quirks(), { accept: 'application/json' }, error)).toBe(error);
  });

  it('carry it only in the header under `errors: header-only`', () => {
    const error = acdError(404, 'NotFound', 'Agent 7 not found');
    const finished = finishAcd(quirks({ errors: 'header-only' }), {}, error) as TextResult;
    expect(finished).toMatchObject({ kind: 'text', status: 404, text: '' });
    expect(finished.headers?.icStatusDescription).toBe('Agent 7 not found');
  });
});
