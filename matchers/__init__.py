"""Enterprise-name normalisation and matching against versioned reference lists; reconciliation."""
