import { AppError } from '../common/errors/app-error';
import { DEFAULT_PAUSE_REASONS } from '../config/defaults';
import {
  assertUserRules,
  buildStatusPayload,
  requestViolations,
  skippedChecks,
} from './status-rules';
import {
  V2_STATUS_RULES,
  type StatusChangeRequest,
  type StatusRuleSet,
  type StatusUser,
} from './status.types';

/** The rule set of a dialect like the real CXone API (agents, team codes, no schedule). */
const ACD: StatusRuleSet = {
  pauseReasons: 'user',
  checks: ['active', 'pauseReason', 'wrapUp'],
  skipped: ['shift'],
  unsupportedFields: ['wrapUpCode', 'forceAvailability'],
};

const agent: StatusUser = {
  roles: [],
  active: true,
  inWrapUp: false,
  pauseReasons: [
    { id: '17', name: 'Break', active: true },
    { id: '34', name: 'Manager Meeting', active: true },
    { id: '90', name: 'Smoke Break', active: false },
  ],
};

function refusal(rules: StatusRuleSet, user: StatusUser, req: StatusChangeRequest): AppError {
  try {
    assertUserRules(rules, { userId: '1000101', user, payload: buildStatusPayload(req), nowMs: 0 });
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('status rules per dialect', () => {
  it('v2: VALID_PAUSE_REASONS before any call, role and shift after the lookup', () => {
    expect(
      requestViolations({ status: 'Break' }, V2_STATUS_RULES, DEFAULT_PAUSE_REASONS),
    ).toHaveLength(1);
    expect(
      requestViolations(
        { status: 'Available', wrapUpCode: 'FU-1', forceAvailability: true },
        V2_STATUS_RULES,
        DEFAULT_PAUSE_REASONS,
      ),
    ).toEqual([]);
    const viewer = refusal(V2_STATUS_RULES, { roles: ['Viewer'] }, { status: 'Available' });
    expect(viewer.code).toBe('FORBIDDEN');
    expect(viewer.extensions).toEqual({ rule: 'role', requiredRoles: ['Agent', 'Supervisor'] });
    expect(skippedChecks(V2_STATUS_RULES)).toEqual({});
  });

  it('ACD: no tenant list; fields it cannot carry are a 400 naming them', () => {
    expect(
      requestViolations({ status: 'Break', pauseReason: 'Lunch' }, ACD, DEFAULT_PAUSE_REASONS),
    ).toEqual([]);
    expect(
      requestViolations(
        { status: 'Available', wrapUpCode: 'FU-1', forceAvailability: true },
        ACD,
        [],
      ).map((e) => e.field),
    ).toEqual(['wrapUpCode', 'forceAvailability']);
    expect(
      requestViolations(
        { status: 'Available', wrapUpCode: null, forceAvailability: false },
        ACD,
        [],
      ),
    ).toEqual([]);
  });

  it('ACD: an inactive agent is a 403, whatever else', () => {
    const err = refusal(
      ACD,
      { ...agent, active: false, inWrapUp: true },
      { status: 'Break', pauseReason: 'x' },
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe(
      'Agent 1000101 is inactive in CXone: an inactive agent cannot hold a desktop status',
    );
    expect(err.extensions).toEqual({ rule: 'active' });
  });

  it('ACD: an unknown, inactive or missing code is a 400 listing the valid ones', () => {
    const unknown = refusal(ACD, agent, { status: 'Break', pauseReason: 'Lunch' });
    expect(unknown.errors).toEqual([
      {
        field: 'pauseReason',
        message:
          'pauseReason Lunch is not an unavailable code of the team of agent 1000101. ' +
          'Valid for this agent: Break, Manager Meeting',
      },
    ]);
    const inactive = refusal(ACD, agent, { status: 'Break', pauseReason: 'Smoke Break' });
    expect(inactive.errors?.[0].message).toBe(
      'pauseReason Smoke Break is an inactive unavailable code. Valid for this agent: Break, Manager Meeting',
    );
    const missing = refusal(ACD, agent, { status: 'Training' });
    expect(missing.errors?.[0].message).toBe(
      'Training needs a pauseReason: the team of agent 1000101 has no unavailable code named ' +
        'Training. Valid for this agent: Break, Manager Meeting',
    );
    const extra = refusal(ACD, agent, { status: 'Available', pauseReason: 'Break' });
    expect(extra.errors?.[0]).toEqual({
      field: 'pauseReason',
      message: 'pauseReason goes with Break, Busy or Training only; Available takes none',
    });
  });

  it('ACD: a bad code is said before after-contact work; ACW is a 409 with its rule', () => {
    const both = refusal(
      ACD,
      { ...agent, inWrapUp: true },
      { status: 'Break', pauseReason: 'Lunch' },
    );
    expect(both.code).toBe('VALIDATION_FAILED');
    const acw = refusal(ACD, { ...agent, inWrapUp: true }, { status: 'Break' });
    expect(acw.code).toBe('CONFLICT');
    expect(acw.extensions).toEqual({ rule: 'wrapUp' });
    expect(acw.message).toContain('Agent 1000101 is in after-contact work');
  });

  it('ACD: passes a valid change, and the answer names the skipped shift check', () => {
    const ok = buildStatusPayload({ status: 'Break', pauseReason: 'Manager Meeting' });
    expect(() =>
      assertUserRules(ACD, { userId: '1000101', user: agent, payload: ok, nowMs: 0 }),
    ).not.toThrow();
    // No role or shift data at all: neither check runs in this dialect.
    expect(() =>
      assertUserRules(ACD, {
        userId: '1000101',
        user: agent,
        payload: buildStatusPayload({ status: 'Break' }),
        nowMs: 0,
      }),
    ).not.toThrow();
    expect(skippedChecks(ACD)).toEqual({ checks: { shift: 'not-available-in-dialect' } });
  });
});
