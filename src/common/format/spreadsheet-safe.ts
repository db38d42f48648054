/**
 * First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or,
 * for tab and carriage return, shift it into a formula context when pasted). Upstream text —
 * queue names, state reasons, export fields — is not ours, so any of it may start with one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell a spreadsheet shows instead of evaluating: a leading apostrophe makes Excel treat
 * the rest as literal text (and it hides the apostrophe). Only text is touched; numbers are
 * written as numbers, so a negative number stays a number.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
