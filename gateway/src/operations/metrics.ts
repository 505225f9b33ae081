import { createHash, timingSafeEqual } from 'crypto';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Who may read the operators' endpoints: /metrics, and the detail of /health/ready. With a metrics token
 * (GATEWAY_METRICS_TOKEN), a caller that sends `Authorization: Bearer <token>`; without one, /metrics is open.
 */
export interface MetricsAccess {
    /** True when a token is configured: /metrics then needs it. */
    readonly protected: boolean;
    /** Whether `authorization` carries the metrics token (always false without one). Compared in constant time. */
    allows(authorization: string | undefined): boolean;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function newMetricsAccess(token: string | undefined): MetricsAccess {
    // Digests of equal length, so the comparison takes the same time whatever was sent, its length too.
    const expected = token === undefined ? undefined : sha256(token);
    return {
        protected: expected !== undefined,
        allows(authorization) {
            const match = /^bearer +(\S+) *$/i.exec(authorization ?? '');
            return expected !== undefined && match !== null && timingSafeEqual(sha256(match[1]), expected);
        },
    };
}

/** Prometheus metrics of one gateway: request latency, ledger latency, errors by code. */
export interface GatewayMetrics {
    readonly registry: Registry;
    observeHttp(method: string, route: string, status: number, seconds: number): void;
    observeLedger(kind: string, fn: string, outcome: string, seconds: number): void;
    countError(code: string): void;
}

export function newGatewayMetrics(): GatewayMetrics {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'xinlian_gateway_' });
    const http = new Histogram({
        name: 'xinlian_http_request_duration_seconds',
        help: 'HTTP request latency by method, route pattern and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
    });
    const ledger = new Histogram({
        name: 'xinlian_ledger_request_duration_seconds',
        help: 'Ledger call latency by kind (submit, evaluate), transaction and outcome',
        labelNames: ['kind', 'transaction', 'outcome'],
        buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
    });
    const errors = new Counter({ name: 'xinlian_http_errors_total', help: 'Error responses by error code', labelNames: ['code'], registers: [registry] });
    return {
        registry,
        observeHttp: (method, route, status, seconds) => http.observe({ method, route, status: String(status) }, seconds),
        observeLedger: (kind, fn, outcome, seconds) => ledger.observe({ kind, transaction: fn, outcome }, seconds),
        countError: (code) => errors.inc({ code }),
    };
}
