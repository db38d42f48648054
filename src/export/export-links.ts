/** Relative links to an export's resources (the gateway does not know its public base URL). */
export function exportLinks(id: string): { self: string; records: string } {
  return { self: `/v1/exports/${id}`, records: `/v1/exports/${id}/records` };
}
