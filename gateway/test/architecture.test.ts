import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { expect } from 'chai';

/** The layering rules of gateway/README.md, checked on the imports of gateway/src (excluding the embedded engine and tests). */
const SRC = path.resolve(__dirname, '..', 'src');

function files(directory: string): string[] {
    return readdirSync(directory).flatMap((name) => {
        const full = path.join(directory, name);
        return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
    });
}

const SOURCES = files(SRC)
    .filter((file) => !file.includes(`${path.sep}ledger${path.sep}embedded${path.sep}`))
    .map((file) => ({ file: path.relative(SRC, file), text: readFileSync(file, 'utf8') }));

function importers(pattern: RegExp): string[] {
    return SOURCES.filter((s) => pattern.test(s.text)).map((s) => s.file).sort();
}

describe('gateway architecture', () => {
    it('lets only http/ (and the app that assembles it) import express', () => {
        expect(importers(/from 'express'/).filter((f) => !f.startsWith('http/') && f !== 'app.ts')).to.deep.equal([]);
    });

    it('lets only config.ts read the environment (main.ts only sets a library default)', () => {
        expect(importers(/process\.env\b/).filter((f) => f !== 'config.ts' && f !== 'main.ts')).to.deep.equal([]);
    });

    it('lets only ledger/ know the Fabric SDK and the embedded engine', () => {
        expect(importers(/@hyperledger\/fabric-gateway|@grpc\/grpc-js|ledger\/embedded'|\.\/embedded'/).filter((f) => !f.startsWith('ledger/'))).to.deep.equal([]);
    });

    it('points imports one way: services never import http, ledger never imports services or http', () => {
        expect(importers(/from '\.\.\/http\//).filter((f) => f.startsWith('services/'))).to.deep.equal([]);
        expect(importers(/from '\.\.\/(http|services)\//).filter((f) => f.startsWith('ledger/'))).to.deep.equal([]);
    });

    it('keeps try/catch out of route handlers', () => {
        expect(importers(/\btry\s*\{/).filter((f) => f.startsWith('http/routes/') && f !== 'http/routes/events-routes.ts')).to.deep.equal([]);
    });
});
