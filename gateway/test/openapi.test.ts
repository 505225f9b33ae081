import './support/quiet-chaincode-logging';
import { readFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { openApiDocument } from '../src/app';
import { ALL_ROUTES } from '../src/http/routes';
import { RESULT_SCHEMAS_PATH, resultSchemasFile } from '../scripts/transaction-result-schemas';

const COMMITTED = path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json');

describe('OpenAPI document', () => {
    it('matches the committed docs/api/openapi.json (regenerate with npm run openapi -w gateway)', () => {
        const generated = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
        expect(readFileSync(COMMITTED, 'utf8')).to.equal(generated);
    });

    it('has result schemas generated from the chaincode types as they are now (regenerate with npm run openapi -w gateway)', function () {
        this.timeout(30_000);
        expect(readFileSync(RESULT_SCHEMAS_PATH, 'utf8')).to.equal(resultSchemasFile());
    });

    it('documents what every transaction route answers with a schema of its own, not a loose object', () => {
        const document = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>> };
        for (const route of ALL_ROUTES.filter((r) => r.transaction && !r.responseMediaType)) {
            const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method];
            const schema = operation.responses[String(route.status ?? 200)].content?.['application/json'].schema;
            const documented = route.list ? (schema?.properties as Record<string, { items: Record<string, unknown> }>).items.items : schema;
            expect(documented, `${route.method} ${route.path}`).to.satisfy((s: Record<string, unknown>) => typeof s.$ref === 'string' || (s.type === 'object' && s.additionalProperties === false));
        }
    });

    it('documents every route with its security, parameters and problem responses', () => {
        const document = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; parameters?: Array<{ in: string; name: string }> }>> };
        expect(document.openapi).to.equal('3.1.0');
        for (const route of ALL_ROUTES) {
            const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method];
            expect(operation, `${route.method} ${route.path}`).to.not.equal(undefined);
            expect(operation.responses).to.have.property('default');
            expect(operation.security, `${route.method} ${route.path}`).to.deep.equal(
                route.auth === 'public' ? [] : route.auth === 'token' ? [{ bearerAuth: [] }] : [{ bearerAuth: [] }, { apiKeyAuth: [] }],
            );
            const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
            expect(pathParameters).to.deep.equal([...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]));
        }
    });

    it('is generated deterministically', () => {
        expect(JSON.stringify(openApiDocument())).to.equal(JSON.stringify(openApiDocument()));
    });
});
