"""ctkg.ontology"""
