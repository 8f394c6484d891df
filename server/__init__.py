"""ctkg.server"""
