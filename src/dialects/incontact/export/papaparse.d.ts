// papaparse ships no type declarations; only the streaming core parser used here is declared.
declare module 'papaparse' {
  export interface PapaParseError {
    type: string;
    /** `InvalidQuotes` (text after a closing quote), `MissingQuotes` (never closed), … */
    code: string;
    message: string;
    row?: number;
    index?: number;
  }

  export interface PapaParserConfig {
    delimiter?: string;
    newline?: '\r\n' | '\n' | '\r';
    quoteChar?: string;
  }

  export interface PapaParseResult {
    data: string[][];
    errors: PapaParseError[];
    /** `cursor`: where the last complete row ended (the next parse starts the rest there). */
    meta: { cursor: number; aborted: boolean };
  }

  /** The parser under Papa.parse: one string at a time, the caller keeps the unfinished row. */
  export class Parser {
    constructor(config: PapaParserConfig);
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): PapaParseResult;
  }
}
