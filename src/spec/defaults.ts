/** Default values declared in a zod object schema, so writers can leave them out again. */
import type { z } from "zod";

export function defaultsOf(schema: z.ZodType): Record<string, unknown> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const def = (field as unknown as { def: { type: string; defaultValue?: unknown } }).def;
    if (def.type === "default") out[key] = structuredClone(def.defaultValue);
  }
  return out;
}
