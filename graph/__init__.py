"""ctkg.graph"""
