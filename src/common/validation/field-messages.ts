/** What a field that a request may not carry is told, wherever it is refused. */
export function notAllowedField(field: string): string {
  return `${field} is not an allowed field`;
}
