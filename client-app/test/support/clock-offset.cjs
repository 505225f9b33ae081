/* global process */
// Test-only preload (node -r): shifts the process clock by XL_TEST_CLOCK_OFFSET_MS so a browser test
// can restart the real gateway "after maturity". Explicit dates are untouched; only "now" moves.
const offset = Number(process.env.XL_TEST_CLOCK_OFFSET_MS || '0');
if (offset !== 0) {
    const RealDate = Date;
    class ShiftedDate extends RealDate {
        constructor(...args) {
            if (args.length === 0) {
                super(RealDate.now() + offset);
            } else {
                super(...args);
            }
        }
        static now() {
            return RealDate.now() + offset;
        }
    }
    globalThis.Date = ShiftedDate;
}
