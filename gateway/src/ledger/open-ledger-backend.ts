import * as path from 'path';
import { Config, embeddedDirectories } from '../config';
import { openEmbeddedBackend } from './embedded-backend';
import type { LedgerBackend } from './ledger-backend';

/** Options of openLedgerBackend. */
export interface OpenLedgerBackendOptions {
    /** Told of a temporary file of the wallet, left by a stopped gateway, that could not be judged or deleted (default: nobody). */
    readonly onCleanupError?: (error: unknown) => void;
}

/** Opens the configured backend: the embedded ledger (default) or a Fabric network. */
export async function openLedgerBackend(config: Config, options: OpenLedgerBackendOptions = {}): Promise<LedgerBackend> {
    if (config.ledgerBackend === 'fabric') {
        const { connectFabricBackend } = await import('./fabric-backend');
        return connectFabricBackend({
            fabric: config.fabric,
            walletDirectory: path.join(config.dataDir, 'fabric-wallet'),
            walletPassphrase: config.walletPassphrase,
            keyScrypt: config.keyScrypt,
            onCleanupError: options.onCleanupError,
        });
    }
    return openEmbeddedBackend({
        ...embeddedDirectories(config.dataDir),
        walletPassphrase: config.walletPassphrase,
        keyScrypt: config.keyScrypt,
        clock: ledgerClock(config),
        onCleanupError: options.onCleanupError,
    });
}

/**
 * The embedded ledger's clock: the real time, moved GATEWAY_LEDGER_CLOCK_OFFSET_DAYS ahead. The demo
 * seed dates its receivables and notes by it too, so a first start with the offset seeds a demo that
 * the ledger accepts (an issue date after the ledger's today would be refused).
 */
export function ledgerClock(config: Pick<Config, 'ledgerClockOffsetDays'>): () => Date {
    const offsetMs = config.ledgerClockOffsetDays * 86_400_000;
    return () => new Date(new Date().getTime() + offsetMs);
}
