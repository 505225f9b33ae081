import { ConfigError, loadConfig } from './config';

/** The gateway process: the only module with side effects. Stops cleanly on SIGINT / SIGTERM. */
async function main(): Promise<void> {
    let config;
    try {
        config = loadConfig();
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`configuration error: ${error.message}\n`);
            process.exit(2);
        }
        throw error;
    }
    // fabric-contract-api logs every decorator as the contracts load unless told otherwise.
    process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
    const { openGateway } = await import('./app');
    const gateway = await openGateway(config);
    const port = await gateway.listen();
    gateway.logger.info({ backend: config.ledgerBackend, documents: config.documentStore, dataDir: config.dataDir }, `Xinlian gateway listening on http://${config.host}:${port}/ (API /api/v1, docs /api/v1/docs/)`);
    let stopping = false;
    const stop = (signal: string): void => {
        if (stopping) {
            return;
        }
        stopping = true;
        gateway.logger.info({ signal }, 'shutting down');
        gateway.close().then(
            () => process.exit(0),
            (error) => {
                gateway.logger.error({ err: error }, 'shutdown failed');
                process.exit(1);
            },
        );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
    process.stderr.write(`the gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
});
