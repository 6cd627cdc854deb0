// Shared test setup: tfjs quiet and on the plain cpu backend unless a test picks another.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
