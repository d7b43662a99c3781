"""Simulated Amazon EC2: `models` (state and rules), `responses` (API operations), `errors` (codes)."""
