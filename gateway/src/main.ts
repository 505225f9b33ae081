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
    // Loading the contracts loaded fabric-shim, whose loggers would swallow this process's crashes.
    const { releaseShimProcessHandlers } = await import('./ledger/embedded/shim-tuning');
    releaseShimProcessHandlers();
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

/** The error's message and those of its causes, one per line, then its stack. */
function describeFailure(error: unknown): string {
    if (!(error instanceof Error)) {
        return String(error);
    }
    const lines = [error.message];
    for (let cause = error.cause; cause instanceof Error; cause = cause.cause) {
        lines.push(`  because: ${cause.message}`);
    }
    return `${lines.join('\n')}\n\n${error.stack ?? ''}`;
}

main().catch((error) => {
    // A setting found wrong only while opening the gateway (the admin password a first start needs).
    if (error instanceof ConfigError) {
        process.stderr.write(`configuration error: ${error.message}\n`);
        process.exit(2);
    }
    process.stderr.write(`the gateway failed to start: ${describeFailure(error)}\n`);
    process.exit(1);
});
