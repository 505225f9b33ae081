import pino, { Logger } from 'pino';

/** Paths that never reach a log line. */
export const REDACTED_PATHS = [
    'req.headers.authorization',
    'req.headers.cookie',
    'headers.authorization',
    'authorization',
    'password',
    '*.password',
    'currentPassword',
    '*.currentPassword',
    'newPassword',
    '*.newPassword',
    'adminPassword',
    '*.adminPassword',
    'demoPassword',
    '*.demoPassword',
    'token',
    '*.token',
    'apiKey',
    '*.apiKey',
    'passphrase',
    '*.passphrase',
    'walletPassphrase',
    '*.walletPassphrase',
    'privateKey',
    '*.privateKey',
    'query.access_token',
];

/** The gateway's structured logger (pino), with secrets redacted. */
export function newLogger(level: string, destination?: pino.DestinationStream): Logger {
    return pino({ level, base: { service: 'xinlian-gateway' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
