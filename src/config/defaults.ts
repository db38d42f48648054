/** The v2 §analytics allowed analytics metric names (overridable per tenant). */
export const DEFAULT_ANALYTICS_METRICS = [
  'handle_time',
  'talk_time',
  'hold_time',
  'queue_time',
  'wrap_time',
  'abandon_rate',
  'service_level',
  'first_contact_resolution',
];

/** The v2 §analytics allowed analytics dimensions. */
export const DEFAULT_ANALYTICS_DIMENSIONS = [
  'channel',
  'skill',
  'queue',
  'agent',
  'campaign',
  'date',
];

/** The v2 §status tenant pause reasons. */
export const DEFAULT_PAUSE_REASONS = [
  'IT Issue',
  'Queue Full',
  'Skill Gap',
  'Manager Meeting',
  'System Maintenance',
];
