/**
 * Names JavaScript objects treat specially: as a key they can be dropped (`__proto__`) or be
 * mistaken for what every object inherits (`constructor`, `prototype`), so weft refuses them as
 * parameter names wherever a name is given.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

export const reservedNameReason =
  "is a reserved name (`__proto__`, `constructor` and `prototype` cannot name a parameter)";

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);
