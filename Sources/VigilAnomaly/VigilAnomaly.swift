// VigilAnomaly: streaming detectors, learned models, threshold suggestion.
