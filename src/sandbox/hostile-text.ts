/**
 * Text that breaks naive exporters: a leading `=` (a spreadsheet formula), a comma, double
 * quotes, a backslash and a newline, all in one value. With `hostileText` on, every upstream text
 * field the sandbox serves (state names and reasons, queue and skill names, dimension values,
 * person and code names) goes through this, on both surfaces. Deterministic and one-to-one, so a
 * test can compute the value it expects and filters can still be matched.
 */
export function hostile(text: string): string {
  return `=${text}, "${text}"\\\n${text}`;
}

/** `hostile(text)` when on, else `text`. */
export function maybeHostile(on: boolean, text: string): string {
  return on && text !== '' ? hostile(text) : text;
}

/** The original of a hostile value (or the value itself when it is not one). */
export function unhostile(text: string): string {
  const m = /^=([\s\S]*), "\1"\\\n\1$/.exec(text);
  return m ? m[1] : text;
}
