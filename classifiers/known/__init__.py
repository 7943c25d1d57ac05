"""The known-content layer: near-duplicates of propaganda that reviewers already confirmed."""
