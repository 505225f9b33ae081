import { DEMO_IDS } from '../../gateway/src/services/demo-seed';
import { defineConformanceSuite } from '../../gateway/test/conformance/conformance-suite';
import { DEMO_PASSWORD, gatewayUrl, tokenCache } from '../src/rest-gateway';

/**
 * The gateway's API conformance suite (gateway/test/conformance), unchanged, against the REST gateway
 * run-fabric.sh started with LEDGER_BACKEND=fabric on this network (demo seed on). Skipped when no
 * gateway runs (XINLIAN_GATEWAY_URL unset).
 */
describe('API conformance (fabric backend, real network)', function () {
    this.timeout(180_000);
    const baseUrl = (): string => gatewayUrl('XINLIAN_GATEWAY_URL') as string;

    before(function () {
        if (!gatewayUrl('XINLIAN_GATEWAY_URL')) {
            this.skip();
        }
    });

    defineConformanceSuite({ baseUrl, token: tokenCache(baseUrl), password: DEMO_PASSWORD, ids: DEMO_IDS });
});
