"""Money and land follow people (人地钱挂钩): transfers, cost sharing, compensation, budget allocation, clearing."""
