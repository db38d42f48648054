import { SANDBOX_FIXTURES } from './fixtures';
import { hash, mix32, unit, uuidFromHash } from './hash';
import { hostile } from './hostile-text';
import { DAY_MS, IsoFormatter } from './iso-time';

/**
 * Bot events for analytics exports.
 *
 * Event k (0 ≤ k < eventsPerDay) of UTC day d starts at `d·DAY + floor(k·slot) + jitter` and
 * lasts `duration` seconds; everything about it (id, fields, quirks) is a pure function of
 * (seed, d, k). An event belongs to every window [from, to) it overlaps (start < to and
 * end > from), which is what produces cross-window duplicates. Per event, deterministically:
 * ~1 % are emitted twice in a row (intra-window duplicates) and ~1 % (a disjoint set) are
 * schema-invalid in every window (a required field missing, or a field of the wrong type).
 *
 * So that every window shows both kinds however short it is (a one-day window holds ~200
 * events, and ~1 % of them is often none), each window's first schema-valid event — its anchor —
 * is emitted twice more: once intact (a duplicate) and once with `duration` as a string (a
 * schema-invalid copy). See `copiesInWindow`.
 */

export const REQUIRED_EVENT_FIELDS = [
  'id',
  'type',
  'dateFrom',
  'dateTo',
  'botId',
  'agentId',
  'duration',
] as const;

/** Longest event: a window must look back this far for events that started before it. */
export const MAX_EVENT_DURATION_S = 7200;

const BOT_IDS = SANDBOX_FIXTURES.bots.map((b) => b.id);
const AGENT_IDS = SANDBOX_FIXTURES.agentRoster.map((a) => a.id);
const INTENTS = [
  'order_status',
  'billing_question',
  'password_reset',
  'cancel_subscription',
  'update_address',
  'technical_issue',
  'speak_to_agent',
  'store_hours',
];
const OUTCOMES = ['resolved', 'escalated', 'abandoned', 'transferred'];

/** How a schema-invalid event is broken: drop one required field, or mistype one. */
export type EventDefect =
  | { kind: 'missing'; field: (typeof REQUIRED_EVENT_FIELDS)[number] }
  | { kind: 'wrongType'; field: 'duration' | 'dateFrom' };

export interface BotEvent {
  day: number;
  index: number;
  startMs: number;
  endMs: number;
  durationS: number;
  duplicated: boolean;
  defect?: EventDefect;
}

/** The defect of the anchor's broken copy. */
export const ANCHOR_DEFECT: EventDefect = { kind: 'wrongType', field: 'duration' };

/**
 * How many records one event yields in one window's download: its own copies (2 when
 * duplicated), plus the anchor's intact and broken extra copies. The anchor is the first event of
 * the window (in start order) without a defect.
 */
export function copiesInWindow(event: BotEvent, isAnchor: boolean): number {
  return (event.duplicated ? 2 : 1) + (isAnchor ? 2 : 0);
}

export class ExportEventGenerator {
  private readonly slotMs: number;
  private readonly iso = new IsoFormatter();

  constructor(
    private readonly seed: number,
    private readonly eventsPerDay: number,
    /** Whether text fields (intent, outcome) are served as hostile text right now. */
    private readonly hostileText: () => boolean = () => false,
  ) {
    this.slotMs = DAY_MS / eventsPerDay;
  }

  /** Every event overlapping [fromMs, toMs), in start order. */
  *eventsIn(fromMs: number, toMs: number): Generator<BotEvent> {
    const firstDay = Math.floor((fromMs - MAX_EVENT_DURATION_S * 1000) / DAY_MS);
    const lastDay = Math.floor((toMs - 1) / DAY_MS);
    for (let day = firstDay; day <= lastDay; day += 1) {
      for (let k = 0; k < this.eventsPerDay; k += 1) {
        const event = this.event(day, k);
        if (event.startMs >= toMs) return;
        if (event.endMs > fromMs) yield event;
      }
    }
  }

  event(day: number, index: number): BotEvent {
    const slotStart = Math.floor(index * this.slotMs);
    const width = Math.max(1, Math.floor((index + 1) * this.slotMs) - slotStart);
    const startMs = day * DAY_MS + slotStart + (hash(this.seed, day, index, 1) % width);
    const durationS = this.duration(day, index);
    const quirk = hash(this.seed, day, index, 3);
    return {
      day,
      index,
      startMs,
      endMs: startMs + durationS * 1000,
      durationS,
      duplicated: quirk % 100 === 0,
      defect: quirk % 100 === 1 ? defectFor(mix32(quirk)) : undefined,
    };
  }

  /**
   * The stable event id (a UUID) of event `index` of `day`. Unique by construction: the last
   * group carries day and index (a 32-bit hash alone collided ~70 times per million events, which
   * a de-duplicating client rightly counted as duplicates); the rest is hashed so ids look random.
   */
  eventId(day: number, index: number): string {
    const random = uuidFromHash(hash(this.seed, day, index, 11));
    const dayHex = (day & 0xffff).toString(16).padStart(4, '0');
    return random.slice(0, 24) + dayHex + (index >>> 0).toString(16).padStart(8, '0');
  }

  /** One record as JSON text, built by hand: this runs millions of times per download. */
  toJson(event: BotEvent, defectOverride?: EventDefect): string {
    const { day, index } = event;
    const defect = defectOverride ?? event.defect;
    const h = hash(this.seed, day, index, 5);
    const id = this.eventId(day, index);
    const dateFrom = this.iso.format(event.startMs);
    const dateTo = this.iso.format(event.endMs);
    const botId = BOT_IDS[h % BOT_IDS.length];
    const agentId = AGENT_IDS[(h >>> 4) % AGENT_IDS.length];
    const conversationId = uuidFromHash(hash(this.seed, day, index, 13));
    let intent = INTENTS[(h >>> 8) % INTENTS.length];
    let outcome = OUTCOMES[(h >>> 12) % OUTCOMES.length];
    const hostileOn = this.hostileText();
    if (hostileOn) {
      intent = hostile(intent);
      outcome = hostile(outcome);
    }
    // The hand-built fast path holds no escapes; hostile text goes through JSON.stringify.
    if (!defect && !hostileOn) {
      return `{"id":"${id}","type":"bot","dateFrom":"${dateFrom}","dateTo":"${dateTo}","botId":"${botId}","agentId":"${agentId}","duration":${event.durationS},"conversationId":"${conversationId}","intent":"${intent}","outcome":"${outcome}"}`;
    }
    const record: Record<string, unknown> = {
      id,
      type: 'bot',
      dateFrom,
      dateTo,
      botId,
      agentId,
      duration: event.durationS,
      conversationId,
      intent,
      outcome,
    };
    if (defect === undefined) return JSON.stringify(record);
    if (defect.kind === 'missing') delete record[defect.field];
    // duration as a string, dateFrom as epoch ms: type errors a validator must catch.
    else if (defect.field === 'duration') record.duration = String(event.durationS);
    else record.dateFrom = event.startMs;
    return JSON.stringify(record);
  }

  private duration(day: number, index: number): number {
    const u = unit(hash(this.seed, day, index, 2));
    // Mostly short sessions, with a long tail that straddles window boundaries.
    if (u < 0.85) return 30 + Math.floor((u / 0.85) * 870);
    return 900 + Math.floor(((u - 0.85) / 0.15) * (MAX_EVENT_DURATION_S - 900));
  }
}

function defectFor(h: number): EventDefect {
  const pick = h % 9;
  if (pick < REQUIRED_EVENT_FIELDS.length)
    return { kind: 'missing', field: REQUIRED_EVENT_FIELDS[pick] };
  return { kind: 'wrongType', field: pick === 7 ? 'duration' : 'dateFrom' };
}
