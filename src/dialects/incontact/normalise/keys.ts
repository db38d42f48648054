/**
 * Case-insensitive field access. The same field is spelled `SkillId` / `skillId`,
 * `agentsACW` / `agentsAcw`, `resultSet` / `resultset` depending on endpoint and version, so
 * every lookup ignores case and may name aliases (`teamId`, `teamNo`).
 */

/** The value of the first of `names` the record has, in any letter case. */
export function field(record: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    if (Object.hasOwn(record, name)) return record[name];
  }
  const wanted = names.map((n) => n.toLowerCase());
  for (const want of wanted) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === want) return record[key];
    }
  }
  return undefined;
}

/** Whether the record has one of `names` (any case) with a value other than undefined. */
export function hasField(record: Record<string, unknown>, ...names: string[]): boolean {
  return field(record, ...names) !== undefined;
}
