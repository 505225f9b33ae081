// Contract errors are expected in tests; the dispatcher would log each one at error level.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
