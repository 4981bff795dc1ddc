"""Synth-time constructs: one module per resource."""
