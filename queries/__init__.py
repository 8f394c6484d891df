"""ctkg.queries"""
