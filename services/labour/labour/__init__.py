"""Labour service: workers abroad under contract, from outreach to remittances."""
