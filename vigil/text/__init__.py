"""Text utilities several stages share (near-duplicate signatures)."""
