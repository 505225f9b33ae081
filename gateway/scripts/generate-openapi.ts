// Writes the schemas of the transactions' results (gateway/src/http/transaction-result-schemas.json)
// and then the OpenAPI document built with them (docs/api/openapi.json). Both are committed; tests
// compare them with fresh generations. Usage: npm run openapi -w gateway
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { RESULT_SCHEMAS_PATH, resultSchemasFile } from './transaction-result-schemas';

export const OPENAPI_PATH = path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json');

if (require.main === module) {
    writeFileSync(RESULT_SCHEMAS_PATH, resultSchemasFile());
    process.stdout.write(`wrote ${RESULT_SCHEMAS_PATH}\n`);
    // Loaded after the schemas are written: the document embeds them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { openApiDocument } = require('../src/app') as typeof import('../src/app');
    mkdirSync(path.dirname(OPENAPI_PATH), { recursive: true });
    writeFileSync(OPENAPI_PATH, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
    process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
}
