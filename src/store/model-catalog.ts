/** Loads the shipped camera-model catalog (inventories/camera-models.json). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Result } from '../core/result.js';
import { decodeModelCatalog, type ModelEntry } from '../rules/catalog-models.js';

// src/store and dist/store are both two levels below the package root, where inventories/ ships.
export const MODEL_CATALOG_FILE = fileURLToPath(new URL('../../inventories/camera-models.json', import.meta.url));

export const loadModelCatalog = (file = MODEL_CATALOG_FILE): Result<ModelEntry[], string> => decodeModelCatalog(JSON.parse(readFileSync(file, 'utf8')));
