/**
 * Names JavaScript objects treat specially: as a key they can be dropped (`__proto__`) or be
 * mistaken for what every object inherits (`constructor`, `prototype`), so weft refuses them as
 * parameter names wherever a name is given.
 */
import { type Draft, error, type Path } from "./findings.js";

export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

export const reservedNameReason =
  "is a reserved name (`__proto__`, `constructor` and `prototype` cannot name a parameter)";

/** The finding for a reserved name written at `path` (a Dagu param, a call's params). */
export const reservedParam = (name: string, path: Path): Draft =>
  error("E_RESERVED_PARAMETER", path, `\`${name}\` ${reservedNameReason}`, {
    hint: "rename the parameter",
  });

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);
