import * as path from 'path';
import { LruCache } from './lru-cache';

/**
 * Four targeted, behaviour-preserving speed-ups of the fabric-shim / fabric-contract-api code the
 * embedded ledger runs on every transaction (measured with `node --cpu-prof` on the benchmark):
 *
 * 1. ClientIdentity (fabric-shim/lib/chaincode.js) parses the creator certificate with @fidm/x509's
 *    `Certificate.fromPEM` on every transaction (~12 % of the engine's CPU). The parse is a pure
 *    function of the PEM text and ClientIdentity only reads the parsed certificate (subject, issuer,
 *    extensions), so the parse is memoised per PEM string in a bounded LRU. A certificate that fails
 *    to parse is not cached: it throws again, exactly as before.
 *
 * 2. winston (the shim's and contract-api's logger) runs its whole format chain (timestamp,
 *    metadata, colorize, printf) for every call and only drops the line in the transport, so
 *    `logger.debug(...)` costs several microseconds even at level CRITICAL. Each level method of
 *    their loggers is gated with winston's own `isLevelEnabled`, the same test the transport applies
 *    afterwards: exactly the same lines are printed (with CORE_CHAINCODE_LOGGING_LEVEL=DEBUG all of
 *    them), dropped ones are just not formatted first.
 *
 * 3. ClientIdentity (same file) is built for every transaction: it decodes the creator bytes,
 *    normalises the PEM with a regular expression, parses it (see 1), formats the subject and
 *    issuer DNs into the identity's id and JSON-parses the attribute extension. The id and the
 *    attributes are functions of the certificate bytes alone, so they are kept per certificate in
 *    a bounded LRU and later identities of the same certificate are assembled from them: an object
 *    of the same class with the same fields (its own copy of the attributes). The first identity of
 *    a certificate is built by the original constructor, so a malformed certificate throws exactly
 *    as before and is not cached. This takes effect when fabric-shim's contract dispatcher is loaded
 *    after tuneShim(), as newChaincodeDispatcher does.
 *
 * 4. The shim's DataMarshall compiles the JSON schema of every parameter on every call
 *    (`ajv.compile({ properties: { prop: <parameter schema> }, components })`); ajv then serialises
 *    the whole schema with fast-json-stable-stringify to find its cached validator. For parameters
 *    of a primitive type (all of ours: transaction parameters are strings) the schema objects are
 *    the same objects on every call, so the validator ajv returned is kept per schema object.
 *
 * And one that is not about speed:
 *
 * 5. Loading fabric-shim and fabric-contract-api installs process-wide handlers through their root
 *    loggers: winston catches every uncaught exception (exitOnError false) and a listener takes every
 *    unhandled rejection, and both only log at error level, which the CRITICAL level drops. That is the
 *    shim's business in a chaincode process; inside the gateway it made every crash silent and left the
 *    process running (a port already in use left `npm start` hanging without a word). They are removed,
 *    so this process keeps Node's own behaviour: an uncaught exception or rejection ends it, reported.
 */

const CERTIFICATE_CACHE_ENTRIES = 4096;

/** The loggers the shim and the contract API create at module load (see their `getLogger(...)` calls). */
const SHIM_LOGGERS = ['_', 'contracts-spi/chaincodefromcontract.js', 'contracts-spi/datamarshall.js', 'contracts-spi/bootstrap.js', 'lib/chaincode.js', 'lib/stub.js', 'lib/iterators.js'];
const CONTRACT_API_LOGGERS = [
    './lib/contract.js',
    './lib/jsontransactionserializer.js',
    './lib/annotations/default.js',
    './lib/annotations/info.js',
    './lib/annotations/object.js',
    './lib/annotations/transaction.js',
];

interface WinstonLogger {
    levels: Record<string, number>;
    isLevelEnabled(level: string): boolean;
    /** winston's handler of uncaught exceptions (installed by a transport with handleExceptions). */
    exceptions?: { unhandle(): void };
    [method: string]: unknown;
}

const gatedLoggers = new WeakSet<WinstonLogger>();
let tuned = false;

/** Applies the certificate and logger speed-ups and releases the shim's process handlers, once per process (the validator speed-up is per dispatcher). */
export function tuneShim(): void {
    if (tuned) {
        return;
    }
    tuned = true;
    memoiseCertificateParse();
    memoiseClientIdentity();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const shimLogger = require('fabric-shim/lib/logger') as { getLogger(name: string): WinstonLogger };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const contractApiLogger = require('fabric-contract-api/lib/logger') as { getLogger(name: string): WinstonLogger };
    SHIM_LOGGERS.forEach((name) => gateLogger(shimLogger.getLogger(name)));
    CONTRACT_API_LOGGERS.forEach((name) => gateLogger(contractApiLogger.getLogger(name)));
    releaseShimProcessHandlers();
}

/** The logger both packages create at load time with the process-wide handlers (their `firstTime()`). */
const ROOT_LOGGER = '_';
/** The name fabric-shim and fabric-contract-api give their unhandledRejection listener. */
const SHIM_REJECTION_LISTENER = 'loggerUnhandledRejectionFn';

/**
 * Removes the uncaught-exception and unhandled-rejection handlers that loading fabric-shim and
 * fabric-contract-api installed (see 5). Loads both if they are not loaded yet. Safe to call again.
 */
export function releaseShimProcessHandlers(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const shimLogger = require('fabric-shim/lib/logger') as { getLogger(name: string): WinstonLogger };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const contractApiLogger = require('fabric-contract-api/lib/logger') as { getLogger(name: string): WinstonLogger };
    [shimLogger.getLogger(ROOT_LOGGER), contractApiLogger.getLogger(ROOT_LOGGER)].forEach((logger) => logger.exceptions?.unhandle());
    for (const listener of process.listeners('unhandledRejection')) {
        if (listener.name === SHIM_REJECTION_LISTENER) {
            process.removeListener('unhandledRejection', listener);
        }
    }
}

function memoiseCertificateParse(): void {
    // The @fidm/x509 that fabric-shim itself resolves (it destructures `Certificate` at load time,
    // so replacing the static method on that class object is what its ClientIdentity calls).
    const shimDirectory = path.dirname(require.resolve('fabric-shim/lib/chaincode.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Certificate } = require(require.resolve('@fidm/x509', { paths: [shimDirectory] })) as { Certificate: { fromPEM(data: string | Buffer): unknown } };
    const parse = Certificate.fromPEM.bind(Certificate);
    const cache = new LruCache<string, unknown>(CERTIFICATE_CACHE_ENTRIES);
    Certificate.fromPEM = (data: string | Buffer): unknown => {
        if (typeof data !== 'string') {
            return parse(data);
        }
        let certificate = cache.get(data);
        if (certificate === undefined) {
            certificate = parse(data);
            cache.set(data, certificate);
        }
        return certificate;
    };
}

interface ShimStub {
    getCreator(): { mspid: string; idBytes: Uint8Array };
}

interface ShimClientIdentity {
    stub: ShimStub;
    mspId: string;
    idBytes: Uint8Array;
    id: string;
    attrs: Record<string, string>;
}

function memoiseClientIdentity(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chaincode = require('fabric-shim/lib/chaincode.js') as { ClientIdentity: new (stub: ShimStub) => ShimClientIdentity };
    const Original = chaincode.ClientIdentity;
    const known = new LruCache<string, { id: string; attrs: Record<string, string> }>(CERTIFICATE_CACHE_ENTRIES);
    function ClientIdentity(stub: ShimStub): ShimClientIdentity {
        const creator = stub.getCreator();
        const bytes = creator.idBytes;
        // latin1 maps bytes one to one, so equal keys mean equal certificate bytes.
        const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
        const parsed = known.get(key);
        if (parsed === undefined) {
            const identity = new Original(stub);
            known.set(key, { id: identity.id, attrs: { ...identity.attrs } });
            return identity;
        }
        const identity = Object.create(Original.prototype) as ShimClientIdentity;
        identity.stub = stub;
        identity.mspId = creator.mspid;
        identity.idBytes = bytes;
        identity.id = parsed.id;
        identity.attrs = { ...parsed.attrs };
        return identity;
    }
    ClientIdentity.prototype = Original.prototype;
    chaincode.ClientIdentity = ClientIdentity as unknown as typeof Original;
}

function gateLogger(logger: WinstonLogger): void {
    if (gatedLoggers.has(logger)) {
        return;
    }
    gatedLoggers.add(logger);
    for (const level of Object.keys(logger.levels)) {
        const write = logger[level];
        if (typeof write !== 'function') {
            continue;
        }
        logger[level] = function gated(this: unknown, ...args: unknown[]): unknown {
            return logger.isLevelEnabled(level) ? (write as (...a: unknown[]) => unknown).apply(this ?? logger, args) : logger;
        };
    }
}

interface ParameterSchema {
    properties?: { prop?: { type?: unknown; $ref?: unknown } };
    components?: { schemas?: object };
}

/** Keeps the validators ajv compiles for primitive parameter schemas of `dispatcher`'s contracts. */
export function memoiseParameterValidators(dispatcher: unknown): void {
    const implementations = (dispatcher as { contractImplementations?: Record<string, { dataMarshall?: { ajv?: { compile(schema: object): unknown } } }> }).contractImplementations ?? {};
    for (const implementation of Object.values(implementations)) {
        const ajv = implementation.dataMarshall?.ajv;
        if (!ajv) {
            continue;
        }
        const compile = ajv.compile.bind(ajv);
        const compiled = new WeakMap<object, { components: object | undefined; validator: unknown }>();
        ajv.compile = (schema: object): unknown => {
            const prop = (schema as ParameterSchema).properties?.prop;
            const components = (schema as ParameterSchema).components?.schemas;
            // Only primitive parameter types: a $ref schema is rewritten by the serializer after compilation.
            if (!prop || prop.$ref !== undefined || !['string', 'number', 'integer', 'boolean'].includes(prop.type as string)) {
                return compile(schema);
            }
            const known = compiled.get(prop);
            if (known && known.components === components) {
                return known.validator;
            }
            const validator = compile(schema);
            compiled.set(prop, { components, validator });
            return validator;
        };
    }
}
