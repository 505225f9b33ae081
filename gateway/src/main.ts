import { ConfigError, checkFirstStartAdmin, checkLedgerClockOffset, loadConfig, prepareDataDirectory } from './config';

/** The gateway process: the only module with side effects. Stops cleanly on SIGINT / SIGTERM. */
async function main(): Promise<void> {
    let config;
    try {
        config = loadConfig();
        checkFirstStartAdmin(config);
        prepareDataDirectory(config.dataDir);
        checkLedgerClockOffset(config);
    } catch (error) {
        if (error instanceof ConfigError) {
            process.stderr.write(`configuration error: ${error.message}\n`);
            process.exit(2);
        }
        throw error;
    }
    // fabric-contract-api logs every decorator as the contracts load unless told otherwise.
    process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
    const { bindServer, openGateway } = await import('./app');
    // The address first: a port in use stops the start before the ledger is opened or seeded. Until the
    // gateway is open the server answers 503 with Retry-After.
    const server = await bindServer(config.host, config.port);
    // Loading the contracts loaded fabric-shim, whose loggers would swallow this process's crashes.
    const { releaseShimProcessHandlers } = await import('./ledger/embedded/shim-tuning');
    releaseShimProcessHandlers();
    let gateway;
    try {
        gateway = await openGateway(config, { server });
    } catch (error) {
        await server.close();
        throw error;
    }
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

/**
 * The failures the gateway reports in words (the address in use, a ledger open elsewhere or not ready, a
 * wallet that cannot be opened, a corrupt file in the data directory, a system call refused): their message
 * and causes say what to do, and a stack trace would only bury it. Anything else is a defect, reported with its stack.
 */
const KNOWN_FAILURES = new Set(['ListenError', 'LedgerError', 'AppError', 'KeyVaultError', 'FabricCaError', 'EndorseError', 'CommitError', 'CorruptFileError']);

function isKnownFailure(error: Error): boolean {
    return KNOWN_FAILURES.has(error.name) || typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** The error's message and those of its causes, one per line, then the stack of the first that is no known failure. */
async function describeFailure(error: unknown): Promise<string> {
    if (!(error instanceof Error)) {
        return String(error);
    }
    let causes: string[] = [];
    try {
        causes = (await import('./app')).failureCauses(error);
    } catch {
        // The app module itself failed to load: the stack below says where.
    }
    const lines = [error.message, ...causes.map((cause) => `  because: ${cause}`)];
    for (let failure: unknown = error; failure instanceof Error; failure = failure.cause) {
        if (!isKnownFailure(failure)) {
            return `${lines.join('\n')}\n\n${failure.stack ?? ''}`;
        }
    }
    return lines.join('\n');
}

main().catch(async (error) => {
    // A setting found wrong only while opening the gateway (a wallet passphrase that does not open its keys).
    if (error instanceof ConfigError) {
        process.stderr.write(`configuration error: ${error.message}\n`);
        process.exit(2);
    }
    process.stderr.write(`the gateway failed to start: ${await describeFailure(error)}\n`);
    process.exit(1);
});
