"""Training, calibration and evaluation of the transformer layer (never imported at inference)."""
