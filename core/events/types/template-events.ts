// Event types of phase templates: a template the Director saved, and a run submitted from one.
import { z } from 'zod';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const templateEvents = {
  TemplateSaved: z.object({ name: z.string(), version: z.number().int().positive(), sourceHash: sha256, fromRunId: z.string().nullable() }),
  TemplateApplied: z.object({ name: z.string(), version: z.number().int().positive(), origin: z.enum(['shipped', 'saved']), variables: z.array(z.string()) }),
} as const;
