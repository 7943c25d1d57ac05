"""Downloader middlewares: safety (address guard, content gate) and politeness (retry backoff)."""
