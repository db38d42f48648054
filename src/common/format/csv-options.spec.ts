import { AppError } from '../errors/app-error';
import { parseDelimiter, resolveCsvOptions } from './csv-options';

function fieldsOf(query: Record<string, unknown>): string[] {
  try {
    resolveCsvOptions(query);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return ((err as AppError).errors ?? []).map((e) => e.field);
  }
  throw new Error('expected a validation error');
}

describe('resolveCsvOptions', () => {
  it('defaults to comma and no byte-order mark', () => {
    expect(resolveCsvOptions(undefined)).toEqual({ delimiter: ',', bom: false });
    expect(resolveCsvOptions({ delimiter: '', bom: '' })).toEqual({ delimiter: ',', bom: false });
  });

  it('takes the four allowed delimiters, the tab also spelled out', () => {
    expect([',', ';', '\t', '|'].map((d) => resolveCsvOptions({ delimiter: d }).delimiter)).toEqual(
      [',', ';', '\t', '|'],
    );
    expect(parseDelimiter('TAB')).toBe('\t');
  });

  it('turns the byte-order mark on only for true', () => {
    expect(resolveCsvOptions({ bom: 'true' }).bom).toBe(true);
    expect(resolveCsvOptions({ bom: 'false' }).bom).toBe(false);
  });

  it.each(['"', ':', 'x', ',,', '\n', ' '])('rejects delimiter %j naming the field', (d) => {
    expect(fieldsOf({ delimiter: d })).toEqual(['delimiter']);
  });

  it('rejects a bom other than true/false, and reports both fields at once', () => {
    expect(fieldsOf({ bom: 'yes' })).toEqual(['bom']);
    expect(fieldsOf({ bom: '1', delimiter: 'x' })).toEqual(['delimiter', 'bom']);
    expect(fieldsOf({ delimiter: [';', ','] })).toEqual(['delimiter']);
  });
});
