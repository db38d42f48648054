/** Injection token of the embedded sandbox's public fixtures (ids only, never credentials). */
export const SANDBOX_INFO_FIXTURES = Symbol('SANDBOX_INFO_FIXTURES');
