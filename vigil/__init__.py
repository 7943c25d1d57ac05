"""Vigil: monitoring public online content for radical-propaganda signals."""

__version__ = "0.1.0"
