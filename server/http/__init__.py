"""HTTP plumbing shared by every endpoint: errors as answers, content negotiation, ETags and
budgets, bearer-token auth, metrics, request middleware."""
