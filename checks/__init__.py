"""Policy rules as pure functions: documents, matches and a policy in, findings and an award out."""
