// Loaded by .mocharc.json before any spec: importing @xinlian/chaincode (for decodeError and types)
// loads the contract classes, whose decorators log at info level unless told otherwise.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';
