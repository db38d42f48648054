import type { FieldError } from '../../../common/errors/app-error';
import type { ExportConfig } from '../../../config/app-config.types';
import type { ExportRequestRules } from '../../../export/export.source';
import type { ExportDataset } from '../../../export/export.types';

const DAY_MS = 86_400_000;

/**
 * `POST /v1/exports` in the incontact dialect. Data Extraction filters by whole UTC days only,
 * so `start` and `end` must be UTC midnights (a date alone is one); `entity` and `version` name
 * the data set (EXPORT_ENTITY / EXPORT_ENTITY_VERSION by default), and the entity must have a
 * schema (its required columns and key) for the gateway to check its rows.
 */
export function incontactExportRules(config: ExportConfig): ExportRequestRules {
  return {
    resolve(input) {
      const errors: FieldError[] = [];
      for (const [field, ms] of [
        ['start', input.startMs],
        ['end', input.endMs],
      ] as const) {
        if (ms % DAY_MS !== 0) {
          const day = new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString();
          errors.push({
            field,
            message: `${field} must be a UTC midnight such as ${day} (Data Extraction exports whole UTC days)`,
          });
        }
      }
      const entity = input.entity ?? config.entity;
      const schema = config.entitySchemas[entity];
      if (!schema) {
        const known = Object.keys(config.entitySchemas).join(', ');
        errors.push({
          field: 'entity',
          message: `entity ${entity} has no schema in this gateway (known: ${known}; see EXPORT_ENTITY_SCHEMAS)`,
        });
      }
      if (errors.length > 0 || !schema) return { errors };
      const dataset: ExportDataset = {
        entity,
        version: input.version ?? config.entityVersion,
        key: schema.key,
      };
      return { dataset };
    },
  };
}
