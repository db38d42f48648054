import type { CxoneClient } from '../../../cxone/cxone.client';
import type {
  ResponseValidator,
  UpstreamRequest,
  UpstreamResponse,
} from '../../../cxone/cxone.types';
import { checkBody } from '../../../cxone/upstream-operation';

/**
 * A CxoneClient stand-in for adapter specs: every request is recorded and answered by `answer`,
 * and the body goes through the real `checkBody` with the adapter's validator, exactly as the
 * client does — so a shape error surfaces as the same UPSTREAM_ERROR.
 */
export class FakeAcdClient {
  readonly requests: UpstreamRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;

  /** `answer` gives a JSON body (200) or `undefined` (a 204), or throws. */
  constructor(private readonly answer: (req: UpstreamRequest) => unknown) {}

  async request<T>(
    req: UpstreamRequest,
    validate?: ResponseValidator<T>,
  ): Promise<UpstreamResponse<T>> {
    this.requests.push(req);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // A turn of the event loop, so concurrent callers really overlap.
      await new Promise((resolve) => setImmediate(resolve));
      const body = await this.answer(req);
      const data = checkBody<T>(req.operation, { body, bodyParsed: true }, validate, (s) => s);
      return { status: body === undefined ? 204 : 200, data, headers: {}, attempts: 1 };
    } finally {
      this.inFlight -= 1;
    }
  }

  asClient(): CxoneClient {
    return this as unknown as CxoneClient;
  }
}

/** The query a request was sent with: its `query`, or the one inside a followed `_links.next` path. */
export function queryOf(req: UpstreamRequest): URLSearchParams {
  if (req.query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query)) if (v !== undefined) params.set(k, String(v));
    return params;
  }
  return new URL(req.path, 'http://x').searchParams;
}
