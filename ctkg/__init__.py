"""ctkg — the Công Thương Knowledge Graph."""

__version__ = "0.1.0"
