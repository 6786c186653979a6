// `npm run schema`: writes schema/scenario.schema.json from src/scenario/jsonSchema.ts (after the build).
// A test (src/scenario/jsonSchema.test.ts) fails while the committed file differs from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderScenarioJsonSchema } from '../dist/scenario/jsonSchema.js';

const out = new URL('../schema/scenario.schema.json', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, renderScenarioJsonSchema());
console.log(`wrote ${fileURLToPath(out)}`);
