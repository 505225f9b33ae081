// fabric-contract-api logs every decorator as the contracts load; import this module first.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'CRITICAL';
