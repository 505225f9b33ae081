// Writes the generated OpenAPI document to docs/api/openapi.json (committed; a test compares them).
// Usage: npm run openapi -w gateway
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { openApiDocument } from '../src/app';

export const OPENAPI_PATH = path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json');

if (require.main === module) {
    mkdirSync(path.dirname(OPENAPI_PATH), { recursive: true });
    writeFileSync(OPENAPI_PATH, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
    process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
}
