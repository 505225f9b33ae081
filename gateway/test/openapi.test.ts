import './support/quiet-chaincode-logging';
import { readFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { openApiDocument } from '../src/app';
import { ALL_ROUTES } from '../src/http/routes';

const COMMITTED = path.resolve(__dirname, '..', '..', 'docs', 'api', 'openapi.json');

describe('OpenAPI document', () => {
    it('matches the committed docs/api/openapi.json (regenerate with npm run openapi -w gateway)', () => {
        const generated = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
        expect(readFileSync(COMMITTED, 'utf8')).to.equal(generated);
    });

    it('documents every route with its security, parameters and problem responses', () => {
        const document = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; parameters?: Array<{ in: string; name: string }> }>> };
        expect(document.openapi).to.equal('3.1.0');
        for (const route of ALL_ROUTES) {
            const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method];
            expect(operation, `${route.method} ${route.path}`).to.not.equal(undefined);
            expect(operation.responses).to.have.property('default');
            expect(operation.security).to.have.length(route.auth === 'public' ? 0 : 2);
            const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
            expect(pathParameters).to.deep.equal([...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]));
        }
    });

    it('is generated deterministically', () => {
        expect(JSON.stringify(openApiDocument())).to.equal(JSON.stringify(openApiDocument()));
    });
});
