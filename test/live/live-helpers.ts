/** Sets some of a queue's live figures in the sandbox (`POST /_sandbox/queues/{queueId}`). */
export async function setQueueFigures(
  sandboxUrl: string,
  queueId: string,
  figures: Record<string, number | boolean>,
): Promise<void> {
  const res = await fetch(`${sandboxUrl}/_sandbox/queues/${encodeURIComponent(queueId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(figures),
  });
  if (!res.ok) throw new Error(`sandbox queue control → ${res.status}: ${await res.text()}`);
}

/** Asks the gateway for a stream ticket with `key`. */
export async function streamTicket(
  gatewayUrl: string,
  key: string,
): Promise<{ status: number; body: { ticket: string; expiresAt: string } }> {
  const res = await fetch(`${gatewayUrl}/v1/queues/stream-tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: res.status, body: (await res.json()) as { ticket: string; expiresAt: string } };
}
