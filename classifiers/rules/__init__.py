"""The rule layer: a versioned lexicon of coded extremist language and an obfuscation-aware matcher."""
