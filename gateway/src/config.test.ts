import * as path from 'path';
import { expect } from 'chai';
import { ConfigError, DEV_WALLET_PASSPHRASE, loadConfig, repositoryRoot } from './config';

describe('config', () => {
    it('defaults to the embedded demo on 127.0.0.1:8080 with data in .xinlian', () => {
        const config = loadConfig({});
        expect(config).to.include({ port: 8080, host: '127.0.0.1', ledgerBackend: 'embedded', seedDemo: true, documentStore: 'embedded', walletPassphraseIsDefault: true });
        expect(config.dataDir).to.equal(path.join(repositoryRoot(), '.xinlian'));
        expect(config.walletPassphrase).to.equal(DEV_WALLET_PASSPHRASE);
        expect(config.fabric).to.include({ channel: 'xinlian', chaincode: 'xinlian' });
    });

    it('reads durations, flags and the fabric orgs', () => {
        const config = loadConfig({
            GATEWAY_TOKEN_TTL: '1h',
            GATEWAY_SEED_DEMO: 'false',
            LEDGER_BACKEND: 'fabric',
            GATEWAY_WALLET_PASSPHRASE: 'p',
            FABRIC_PLATFORM_PEER_ENDPOINT: 'localhost:7051',
            FABRIC_PLATFORM_TLS_CA: 'tls.pem',
        });
        expect(config).to.include({ tokenTtlSeconds: 3600, seedDemo: false, ledgerBackend: 'fabric' });
        expect(config.fabric.orgs.map((o) => o.mspId)).to.deep.equal(['PlatformMSP']);
    });

    it('refuses a fabric backend without a wallet passphrase, and malformed values', () => {
        expect(() => loadConfig({ LEDGER_BACKEND: 'fabric', FABRIC_PLATFORM_PEER_ENDPOINT: 'x' })).to.throw(ConfigError, /GATEWAY_WALLET_PASSPHRASE/);
        expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).to.throw(ConfigError, /GATEWAY_PORT/);
        expect(() => loadConfig({ DOCUMENT_STORE: 's3' })).to.throw(ConfigError, /DOCUMENT_STORE/);
    });
});
